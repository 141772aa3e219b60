/** @module test/e2e: an HL7 feed drill — ADT^A01 over MLLP through a chaos proxy to the demo's legacy EHR, with and without latency. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../plan/index.js';
import { executeGameDay } from '../../run/index.js';
import { pickPort } from '../support/ports.js';
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

describe('a game day on the HL7 link', () => {
  it('a latency fault on the proxy fails the hl7_msg_duration threshold (exit 1) while every message is still acknowledged', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-hl7-run-'));
    try {
      const link = await pickPort();
      writeFileSync(join(dir, 'codeblue.yaml'), JSON.stringify({
        name: 'hl7-drill',
        target: { baseUrl: new URL(ehr.healthUrl).origin, health: '/health' },
        chaos: { server: chaos.url },
        proxies: [{ name: 'ehr-link', listen: `127.0.0.1:${link}`, upstream: `${ehr.mllp.host}:${ehr.mllp.port}` }],
        phases: { baseline: '2s', fault: '3s', recovery: '2s' },
        scenarios: { adt: { executor: 'constant-vus', vus: 2, duration: '7s', steps: [{ name: 'admit', mllp: { address: `127.0.0.1:${link}`, message: 'ADT^A01' }, think: '100ms' }] } },
        faults: [{ name: 'ehr-slow', proxy: 'ehr-link', at: 'fault+0s', duration: '3s', toxic: 'latency', attributes: { latency: LATENCY_MS } }],
        thresholds: {
          hl7_msg_failed: ['rate<0.01'], hl7_msg_duration: [`max<${LATENCY_MS}`], hl7_msgs: ['count>0'],
          // Tag filters are read from the run's store: one matching every message, one matching none (no AE ACK).
          'hl7_msgs{scenario:adt,ack:AA}': ['count>0'], 'hl7_msg_duration{ack:AE}': ['max<1'],
        },
        collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
        safety: { maxDuration: '1m', maxRequests: 5000 },
        outputs: ['json'],
      }));
      const plan = await loadPlan(join(dir, 'codeblue.yaml'));
      const outcome = await executeGameDay(plan, { outRoot: join(dir, 'runs') });
      const verdict = (name: string) => outcome.results.verdicts.find((v) => v.name === name);
      expect(verdict('hl7_msg_failed: rate<0.01')).toMatchObject({ pass: true, observed: 0 });
      expect(verdict('hl7_msgs: count>0')).toMatchObject({ pass: true });
      expect(verdict('hl7_msgs{scenario:adt,ack:AA}: count>0')?.observed).toBe(verdict('hl7_msgs: count>0')?.observed);
      expect(verdict('hl7_msg_duration{ack:AE}: max<1')).toMatchObject({ pass: true, observed: null });
      // The toxic holds every ACK in the fault phase back by at least LATENCY_MS: the max reaches it.
      expect(verdict(`hl7_msg_duration: max<${LATENCY_MS}`)).toMatchObject({ pass: false });
      expect((verdict(`hl7_msg_duration: max<${LATENCY_MS}`)?.observed ?? 0)).toBeGreaterThanOrEqual(LATENCY_MS);
      // MLLP messages count as sent load: the run fails on its threshold, not on "no requests were sent".
      expect(outcome.results.verdicts.some((v) => v.kind === 'load')).toBe(false);
      expect(outcome.results.verdicts.filter((v) => !v.pass).map((v) => v.name)).toEqual([`hl7_msg_duration: max<${LATENCY_MS}`]);
      expect(outcome.exitCode).toBe(1);
      expect(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')).toContain('hl7_msg_duration');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

