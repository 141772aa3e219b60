/** @module demo/testing: an in-process legacy EHR + fhir-api on ephemeral ports, for the endpoint suites. */
import type { AuthFlags } from '../config/auth-flags.js';
import type { ResilienceMode } from '../config/flags.js';
import { startFhirApi, type FhirApi } from '../fhir-api/app.js';
import { startLegacyEhr, type LegacyEhr } from '../legacy-ehr/ehr-service.js';

/** Both parts, and one stop for them. */
export interface TestApi {
  readonly api: FhirApi;
  readonly ehr: LegacyEhr;
  stop(): Promise<void>;
}

/** Starts fhir-api alone (its EHR link points at nothing), on an ephemeral port: a FHIR API for feeds to file into. */
export async function startTestFhirApi(databaseUrl: string, schema: string, ehrLink: { host: string; port: number }): Promise<FhirApi> {
  const api = await startFhirApi({ listen: { host: '127.0.0.1', port: 0 }, databaseUrl, ehrLink, schema, mode: 'hardened', workerIntervalMs: 600_000 });
  await api.migrated;
  return api;
}

/** Starts a well-behaved EHR and fhir-api on `databaseUrl`/`schema`; the worker exists but only runs when ticked. */
export async function startTestApi(databaseUrl: string, schema: string, mode: ResilienceMode = 'hardened', auth?: AuthFlags): Promise<TestApi> {
  const ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0 });
  const api = await startFhirApi({ listen: { host: '127.0.0.1', port: 0 }, databaseUrl, ehrLink: ehr.mllp, schema, mode, workerIntervalMs: 600_000, ...(auth ? { auth } : {}) });
  await api.migrated;
  return {
    api,
    ehr,
    async stop() {
      await api.stop();
      await ehr.stop();
    },
  };
}
