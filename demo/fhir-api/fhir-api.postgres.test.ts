/** @module demo/fhir-api: the endpoint suite on real PostgreSQL (127.0.0.1:5432, database test, own schema dropped after). */
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApi, type TestApi } from '../testing/start-test-api.js';
import { runFhirConformance } from './fhir-conformance.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `demo_test_${process.pid}_${Date.now().toString(36)}`;

describe('fhir-api on PostgreSQL', { timeout: 30_000 }, () => {
  let t: TestApi | undefined;
  beforeAll(async () => {
    t = await startTestApi(DATABASE_URL, schema);
  });
  afterAll(async () => {
    await t?.stop();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });
  runFhirConformance(() => t as TestApi);
});
