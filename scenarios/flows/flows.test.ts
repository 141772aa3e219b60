import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../engine/run-load.js';
import type { LedgerEntry } from '../engine/ledger.js';
import { scenarioSchema } from '../schema.js';
import { startFhirTarget, type FhirTarget } from '../testing/fhir-target.js';

let target: FhirTarget;
beforeAll(async () => {
  target = await startFhirTarget({ slots: 0 });
});
afterAll(async () => {
  await target.close();
});

describe('FHIR flows against a FHIR-ish target', () => {
  it('run every library flow with all checks passing, 409 slot races counted as expected, writes in the ledger', { timeout: 30_000 }, async () => {
    const ledger: LedgerEntry[] = [];
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: {
        reg: scenarioSchema.parse({ executor: 'per-vu-iterations', vus: 2, iterations: 3, flow: 'fhir/patient-registration' }),
        dash: scenarioSchema.parse({ executor: 'per-vu-iterations', vus: 2, iterations: 3, flow: 'fhir/clinician-dashboard', params: { pageSize: 1 }, startTime: '300ms' }),
        book: scenarioSchema.parse({ executor: 'per-vu-iterations', vus: 6, iterations: 3, flow: 'fhir/appointment-booking' }),
        tx: scenarioSchema.parse({ executor: 'shared-iterations', vus: 1, iterations: 2, flow: 'fhir/transaction-bundle' }),
      },
      safety: { maxDuration: 60_000, maxRequests: 10_000, maxVUs: 20 },
      ledger: { add: (e) => void ledger.push(e) },
    });
    const s = result.store;
    expect(s.query({ metric: 'checks' }).rate).toBe(1);
    expect(s.query({ metric: 'http_req_failed' }).rate).toBe(0);
    const booked = s.query({ metric: 'http_reqs', tags: { name: 'POST /fhir/Appointment', status: '201' } }).count;
    const lost = s.query({ metric: 'http_reqs', tags: { name: 'POST /fhir/Appointment', status: '409' } }).count;
    expect(booked + lost).toBe(s.query({ metric: 'http_reqs', tags: { name: 'POST /fhir/Appointment' } }).count);
    expect(booked).toBeGreaterThan(0);
    expect(s.query({ metric: 'http_reqs', tags: { name: 'POST /fhir/Appointment', expected_response: 'false' } }).count).toBe(0);
    expect(s.query({ metric: 'http_reqs', tags: { name: 'GET /fhir/Observation?patient&code' } }).count).toBeGreaterThan(0);
    expect(target.hits.get('POST /fhir')).toBe(2);
    expect(ledger.filter((l) => l.resourceType === 'Appointment')).toHaveLength(booked);
    expect(ledger.every((l) => target.resources.has(l.readPath.replace('/fhir/', '')))).toBe(true);
  });
});
