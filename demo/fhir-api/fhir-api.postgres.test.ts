/** @module demo/fhir-api: the endpoint suite on real PostgreSQL (127.0.0.1:5432, database test, own schema dropped after). */
import { afterAll, beforeAll, describe } from 'vitest';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';
import { startTestApi, type TestApi } from '../testing/start-test-api.js';
import { runFhirConformance } from './fhir-conformance.js';

const schema = `demo_test_${process.pid}_${Date.now().toString(36)}`;

describe('fhir-api on PostgreSQL', { timeout: 30_000 }, () => {
  let t: TestApi | undefined;
  beforeAll(async () => {
    t = await startTestApi(TEST_DATABASE_URL, schema);
  });
  afterAll(async () => {
    await t?.stop();
    await dropSchema(schema);
  });
  runFhirConformance(() => t as TestApi);
});
