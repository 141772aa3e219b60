/** @module demo/fhir-api: admits while the EHR is down — hardened queues them for the outbox worker, fragile fails. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';
import { startLegacyEhr, type LegacyEhr } from '../legacy-ehr/ehr-service.js';
import { fhir, patient } from '../testing/fhir-client.js';
import { pickPort } from '../../test/support/ports.js';
import { startFhirApi, type FhirApi } from './app.js';

const schema = `demo_outbox_${process.pid}`;

describe('EHR admits while the EHR is down', { timeout: 30_000 }, () => {
  let api: FhirApi | undefined;
  let ehr: LegacyEhr | undefined;
  afterEach(async () => {
    await api?.stop();
    await ehr?.stop();
    api = undefined;
    ehr = undefined;
  });
  afterAll(async () => {
    await dropSchema(schema);
  });

  const admitOnce = async (mode: 'hardened' | 'fragile', ehrPort: number) => {
    api = await startFhirApi({ listen: { host: '127.0.0.1', port: 0 }, databaseUrl: TEST_DATABASE_URL, ehrLink: { host: '127.0.0.1', port: ehrPort }, schema, mode, workerIntervalMs: 600_000 });
    await api.migrated;
    const p = await fhir(`${api.url}/fhir/Patient`, { body: patient('Down') });
    return fhir(`${api.url}/fhir/Encounter`, { body: { resourceType: 'Encounter', status: 'arrived', class: { code: 'EMER' }, subject: { reference: `Patient/${String(p.body.id)}` } } });
  };

  it('hardened: answers 201 with the admit queued, and the worker delivers it once the EHR is back', async () => {
    const ehrPort = await pickPort(); // nothing listens here until the EHR starts
    const enc = await admitOnce('hardened', ehrPort);
    expect(enc.status).toBe(201);
    expect(enc.headers.get('x-ehr-admit')).toBe('queued');
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: ehrPort }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0 });
    // The queued job waits 5 s before its first retry; move its due time instead of sleeping.
    await api?.deps.pool.query(`update ${schema}.outbox set available_at = now() where topic = 'ehr.adt' and status = 'pending'`);
    expect(await api?.worker?.tick()).toBe(1);
    expect(ehr.state.admits.get(String(enc.body.id))).toBeDefined();
    expect((await api?.deps.outbox.counts(api.deps.pool))?.pending ?? 0).toBe(0);
  });

  it('fragile: answers 502 OperationOutcome when the admit cannot be sent', async () => {
    const enc = await admitOnce('fragile', await pickPort());
    expect(enc.status).toBe(502);
    expect(enc.body.resourceType).toBe('OperationOutcome');
    expect(enc.body.issue[0].diagnostics).toContain('ADT^A01');
  });
});
