/** @module test/e2e: an HL7 feed drill — ADT^A01 over MLLP through a chaos proxy to the demo's legacy EHR, with and without latency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../../chaos/index.js';
import { startTestLegacyEhr, type LegacyEhr } from '../../demo/testing/legacy-ehr.js';
import { runLoad, scenarioSchema, type LoadResult } from '../../scenarios/index.js';

const LATENCY_MS = 300;
let ehr: LegacyEhr;
let chaos: ChaosServer;
let proxyAddress: string;

beforeAll(async () => {
  ehr = await startTestLegacyEhr();
  chaos = await startChaosServer({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${chaos.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'ehr-hl7', listen: '127.0.0.1:0', upstream: `${ehr.mllp.host}:${ehr.mllp.port}` }) });
  expect(res.status).toBe(201);
  proxyAddress = ((await res.json()) as { listen: string }).listen;
});
afterAll(async () => {
  await chaos.close();
  await ehr.stop();
});

const feed = (): Promise<LoadResult> =>
  runLoad({
    baseUrl: new URL(ehr.healthUrl).origin,
    scenarios: { adt: scenarioSchema.parse({ executor: 'shared-iterations', vus: 2, iterations: 10, steps: [{ name: 'admit', mllp: { address: proxyAddress, message: 'ADT^A01', expect: { 'MSA-1': 'AA' } } }] }) },
    safety: { maxDuration: 60_000, maxRequests: 1000, maxVUs: 10 },
  });

describe('hl7 feed through a proxy to the legacy EHR', () => {
  it('every message is acknowledged AA and filed; a latency toxic on the link shows in hl7_msg_duration', { timeout: 60_000 }, async () => {
    const baseline = await feed();
    expect(baseline.store.query({ metric: 'hl7_msgs', tags: { ack: 'AA' } }).count).toBe(10);
    expect(baseline.store.query({ metric: 'hl7_msg_failed' }).rate).toBe(0);
    expect(ehr.state.admits.size).toBe(10);

    const toxic = await fetch(`${chaos.url}/proxies/ehr-hl7/toxics`, { method: 'POST', body: JSON.stringify({ name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: LATENCY_MS, jitter: 0 } }) });
    expect(toxic.status).toBe(200);
    const slowed = await feed();
    const d = slowed.store.query({ metric: 'hl7_msg_duration' });
    expect(d.count).toBe(10);
    // The toxic delays every ACK by at least its latency: a floor, not a speed measurement.
    expect(d.min).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(slowed.store.query({ metric: 'hl7_msg_failed' }).rate).toBe(0);
    expect(ehr.state.admits.size).toBe(20);
  });
});
