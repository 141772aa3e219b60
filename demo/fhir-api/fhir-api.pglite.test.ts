/** @module demo/fhir-api: the endpoint suite on the embedded fallback — PGlite over pglite-socket on an ephemeral port. */
import { afterAll, beforeAll, describe } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres.js';
import { startTestApi, type TestApi } from '../testing/start-test-api.js';
import { runFhirConformance } from './fhir-conformance.js';

describe('fhir-api on embedded PGlite', { timeout: 30_000 }, () => {
  let db: EmbeddedPostgres | undefined;
  let t: TestApi | undefined;
  beforeAll(async () => {
    db = await startEmbeddedPostgres({ host: '127.0.0.1', port: 0 });
    t = await startTestApi(db.url, 'codeblue_demo');
  });
  afterAll(async () => {
    await t?.stop();
    await db?.stop();
  });
  runFhirConformance(() => t as TestApi);
});
