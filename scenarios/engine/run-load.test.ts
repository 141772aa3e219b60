import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckSample, RequestSample } from '../../core/sample.js';
import { scenarioSchema, type ScenarioSpec } from '../schema.js';
import { startFhirTarget, type FhirTarget } from '../testing/fhir-target.js';
import { resolveThresholds } from '../thresholds.js';
import type { LedgerEntry } from './ledger.js';
import { RENDER_FAILURES_METRIC, runLoad } from './run-load.js';
import { sentNothingReason } from '../summary/sent-nothing.js';
import { pickPort } from '../../test/support/ports.js';

const SAFETY = { maxDuration: 60_000, maxRequests: 100_000, maxVUs: 200 };
const spec = (raw: unknown): ScenarioSpec => scenarioSchema.parse(raw);
const collect = <T>(): { items: T[]; add(item: T): void } => {
  const items: T[] = [];
  return { items, add: (i) => void items.push(i) };
};

let target: FhirTarget;
beforeAll(async () => {
  target = await startFhirTarget({ slots: 2 });
});
afterAll(async () => {
  await target.close();
});

describe('runLoad (closed model)', () => {
  it('runs shared-iterations exactly, with checks, saved values, groups and a traceparent on every request', { timeout: 20_000 }, async () => {
    const samples = collect<RequestSample>();
    const checks = collect<CheckSample>();
    const ledger = collect<LedgerEntry>();
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: { reg: spec({ executor: 'shared-iterations', vus: 3, iterations: 9, flow: 'fhir/patient-registration' }) },
      safety: SAFETY, samples, checks, ledger,
    });
    const store = result.store;
    expect(store.query({ metric: 'iterations' }).count).toBe(9);
    expect(store.query({ metric: 'http_reqs' }).count).toBe(36);
    expect(store.query({ metric: 'http_reqs', tags: { name: 'GET /fhir/Patient/{id}', status: '200' } }).count).toBe(9);
    expect(store.query({ metric: 'checks' }).rate).toBe(1);
    expect(store.query({ metric: 'http_req_failed' }).rate).toBe(0);
    expect(store.query({ metric: 'group_duration', tags: { group: '::register patient' } }).count).toBe(9);
    expect(store.query({ metric: 'http_reqs', tags: { group: '::admit' } }).count).toBe(18);
    expect(samples.items).toHaveLength(36);
    expect(new Set(samples.items.map((s) => s.traceId)).size).toBe(36);
    const sentTraceIds = new Set(target.traceparents.map((tp) => tp.split('-')[1]));
    for (const s of samples.items) expect(sentTraceIds.has(s.traceId)).toBe(true);
    expect(target.traceparents.every((tp) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(tp))).toBe(true);
    expect(checks.items.length).toBeGreaterThan(36);
    expect(ledger.items.filter((l) => l.resourceType === 'Patient')).toHaveLength(9);
    const first = ledger.items.find((l) => l.resourceType === 'Observation') as LedgerEntry;
    expect(first.readPath).toBe(`/fhir/Observation/${first.id}`);
    expect(target.resources.get(`Patient/${ledger.items[0]?.id}`)).toMatchObject({ identifier: [{ system: 'urn:codeblue:synthetic' }] });
    expect(result.passed).toBe(true);
  });

  it('runs per-vu-iterations, constant-vus and ramping-vus within their bounds', { timeout: 20_000 }, async () => {
    const steps = [{ name: 'health', request: { path: '/health' }, check: { status: 200 } }];
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: {
        pervu: spec({ executor: 'per-vu-iterations', vus: 2, iterations: 5, steps }),
        constant: spec({ executor: 'constant-vus', vus: 2, duration: '600ms', steps: [{ ...steps[0], think: '50ms' }] }),
        ramp: spec({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '400ms', target: 3 }, { duration: '300ms', target: 0 }], gracefulRampDown: '0s', steps: [{ ...steps[0], think: { min: '20ms', max: '40ms' } }] }),
      },
      safety: SAFETY,
    });
    const s = result.store;
    expect(s.query({ metric: 'iterations', tags: { scenario: 'pervu' } }).count).toBe(10);
    const constant = s.query({ metric: 'iterations', tags: { scenario: 'constant' } }).count;
    expect(constant).toBeGreaterThan(4);
    expect(constant).toBeLessThan(40); // 2 VUs × 600 ms / ≥ 50 ms think
    expect(s.query({ metric: 'iterations', tags: { scenario: 'ramp' } }).count).toBeGreaterThan(0);
    expect(s.query({ metric: 'vus_max' }).max).toBeLessThanOrEqual(7);
    expect(result.durationMs).toBeLessThan(10_000);
  });
});

describe('runLoad (open model)', () => {
  it('drops iterations when no VU is free and counts them in dropped_iterations', { timeout: 20_000 }, async () => {
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: { open: spec({ executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 2, steps: [{ name: 'slow', request: { path: '/slow', query: { ms: 300 } } }] }) },
      safety: SAFETY,
    });
    const started = result.store.query({ metric: 'iterations' }).count;
    const dropped = result.store.query({ metric: 'dropped_iterations' }).count;
    expect(dropped).toBeGreaterThan(20);
    expect(started + dropped).toBe(40);
    expect(result.store.query({ metric: 'http_req_duration' }).min).toBeGreaterThanOrEqual(290);
  });

  it('measures corrected latency from the scheduled start when the generator stalls, and keeps raw latency', { timeout: 20_000 }, async () => {
    // A 400 ms event-loop stall of the load generator: arrivals due meanwhile start late; raw latency hides it.
    setTimeout(() => {
      const until = performance.now() + 400;
      while (performance.now() < until) { /* stall */ }
    }, 200);
    const samples = collect<RequestSample>();
    const result = await runLoad({
      baseUrl: target.baseUrl, samples,
      scenarios: { open: spec({ executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '1s', preAllocatedVUs: 20, steps: [{ name: 'slow', request: { path: '/slow', query: { ms: 20 } } }] }) },
      safety: SAFETY,
    });
    const raw = result.store.query({ metric: 'http_req_duration' });
    const corrected = result.store.query({ metric: 'http_req_duration_corrected' });
    expect(raw.med).toBeLessThan(250);
    expect(corrected.max).toBeGreaterThan(300);
    expect(samples.items.some((s) => s.correctedDurationMs - s.durationMs > 300)).toBe(true);
    expect(samples.items.every((s) => s.correctedDurationMs >= s.durationMs - 0.001)).toBe(true);
    expect(samples.items.some((s) => s.startedAt - s.scheduledAt > 300)).toBe(true);
    // The whole iteration from its intended start, too (a one-step flow: the same lag).
    const iterations = result.store.query({ metric: 'iteration_duration' });
    const iterationsCorrected = result.store.query({ metric: 'iteration_duration_corrected' });
    expect(iterationsCorrected.samples).toBe(iterations.samples);
    expect(iterations.med).toBeLessThan(250);
    expect(iterationsCorrected.max).toBeGreaterThan(300);
  });

  it('ramps the arrival rate through its stages', { timeout: 20_000 }, async () => {
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: { ramp: spec({ executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 5, stages: [{ duration: '500ms', target: 40 }, { duration: '500ms', target: 40 }], steps: [{ name: 'h', request: { path: '/health' } }] }) },
      safety: SAFETY,
    });
    // ∫rate = 0.5 s × 20/s + 0.5 s × 40/s = 30; the 30th falls exactly on the end, so 29 start (or are dropped).
    const started = result.store.query({ metric: 'iterations' }).count + result.store.query({ metric: 'dropped_iterations' }).count;
    expect(started).toBe(29);
  });
});

describe('runLoad (bad targets and limits)', () => {
  it('fails with CB_TARGET_UNREACHABLE (exit 3) before any load when the target is down', { timeout: 10_000 }, async () => {
    const port = await pickPort(); // nothing listens there
    await expect(runLoad({ baseUrl: `http://127.0.0.1:${port}`, scenarios: { s: spec({ executor: 'shared-iterations', steps: [{ name: 'x', request: { path: '/' } }] }) }, safety: SAFETY }))
      .rejects.toMatchObject({ code: 'CB_TARGET_UNREACHABLE', exitCode: 3 });
  });

  it('refuses non-loopback targets, plans above safety.maxVUs, and externally-controlled', { timeout: 10_000 }, async () => {
    const steps = [{ name: 'x', request: { path: '/' } }];
    await expect(runLoad({ baseUrl: 'http://10.1.2.3:80', scenarios: { s: spec({ executor: 'shared-iterations', steps }) }, safety: SAFETY })).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
    await expect(runLoad({ baseUrl: target.baseUrl, scenarios: { s: spec({ executor: 'constant-vus', vus: 500, duration: '1s', steps }) }, safety: SAFETY })).rejects.toMatchObject({ code: 'CB_LOAD_LIMIT', exitCode: 2 });
    await expect(runLoad({ baseUrl: target.baseUrl, scenarios: { s: spec({ executor: 'externally-controlled', duration: '1s', steps }) }, safety: SAFETY })).rejects.toThrow(/k6 v2\.0\.0/);
  });

  it('times out a hanging server, cuts a huge body and survives malformed JSON — each failing only its own check', { timeout: 20_000 }, async () => {
    const checks = collect<CheckSample>();
    const result = await runLoad({
      baseUrl: target.baseUrl, checks, maxBodyBytes: 1024 * 1024,
      scenarios: {
        s: spec({
          executor: 'shared-iterations', vus: 1, iterations: 1,
          steps: [
            { name: 'hang', request: { path: '/hang', timeout: '300ms' }, check: { status: 200 } },
            { name: 'huge', request: { path: '/huge' }, check: { status: 200 } },
            { name: 'bad json', request: { path: '/malformed' }, check: { status: 200, json: { '$.id': { exists: true } }, contains: 'Patient' }, save: { id: '$.id' } },
            { name: 'missing path', request: { path: '/health' }, check: { json: { '$.nope': 1, '$.ok': true } } },
          ],
        }),
      },
      safety: SAFETY,
    });
    const s = result.store;
    expect(s.query({ metric: 'http_reqs', tags: { name: '/hang', status: '0' } }).count).toBe(1);
    expect(s.query({ metric: 'http_req_duration', tags: { name: '/hang' } }).max).toBeLessThan(2000);
    expect(s.query({ metric: 'http_req_failed', tags: { name: '/huge' } }).rate).toBe(1);
    expect(s.query({ metric: 'data_received' }).count).toBeLessThan(3 * 1024 * 1024);
    const byName = Object.fromEntries(checks.items.map((c) => [c.name + (c.group || ''), c.ok]));
    expect(checks.items.filter((c) => c.name === 'status is 200').map((c) => c.ok)).toEqual([false, true, true]);
    expect(byName['$.id exists']).toBe(false);
    expect(byName['body contains "Patient"']).toBe(true);
    expect(byName['$.nope is 1']).toBe(false);
    expect(byName['$.ok is true']).toBe(true);
    expect(s.query({ metric: 'iterations' }).count).toBe(1);
  });

  it('aborts on a failing abortOnFail threshold after delayAbortEval, and evaluates tag-filtered thresholds at the end', { timeout: 20_000 }, async () => {
    const aborts: string[] = [];
    const thresholds = resolveThresholds({
      'http_req_failed{scenario:bad}': [{ threshold: 'rate<0.5', abortOnFail: true, delayAbortEvalMs: 300 }],
      'http_req_duration{scenario:good}': ['p(95)<1000', 'max<0'],
      'checks{check:status is 200}': ['rate>0.4'],
    });
    const result = await runLoad({
      baseUrl: target.baseUrl, thresholds, evaluateEveryMs: 100, onAbort: (a) => aborts.push(a.reason),
      scenarios: {
        bad: spec({ executor: 'constant-vus', vus: 1, duration: '20s', steps: [{ name: 'e', request: { path: '/status/503' }, check: { status: 200 }, think: '10ms' }] }),
        good: spec({ executor: 'constant-vus', vus: 1, duration: '20s', steps: [{ name: 'h', request: { path: '/health' }, check: { status: 200 }, think: '10ms' }] }),
      },
      safety: SAFETY,
    });
    expect(aborts).toEqual(['threshold']);
    expect(result.aborted?.threshold?.key).toBe('http_req_failed{scenario:bad}');
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.passed).toBe(false);
    const byExpr = Object.fromEntries(result.thresholds.map((t) => [`${t.key} ${t.expression}`, t.ok]));
    expect(byExpr['http_req_duration{scenario:good} p(95)<1000']).toBe(true);
    expect(byExpr['http_req_duration{scenario:good} max<0']).toBe(false);
    expect(byExpr['checks{check:status is 200} rate>0.4']).toBe(true);
  });

  it('never sends a request whose URL (e.g. a paging link) leaves the target origin', { timeout: 10_000 }, async () => {
    const samples = collect<RequestSample>();
    await runLoad({
      baseUrl: target.baseUrl, samples,
      scenarios: { s: spec({ executor: 'shared-iterations', params: { next: 'http://10.9.9.9:8080/fhir/Patient?page=2' }, steps: [{ name: 'next', request: { path: '{{ params.next }}' } }] }) },
      safety: SAFETY,
    });
    expect(samples.items.map((x) => [x.status, x.errorCode, x.failed])).toEqual([[0, 'EOFFTARGET', true]]);
  });

  it('stops at safety.maxRequests', { timeout: 10_000 }, async () => {
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: { s: spec({ executor: 'constant-vus', vus: 4, duration: '20s', steps: [{ name: 'h', request: { path: '/health' } }] }) },
      safety: { ...SAFETY, maxRequests: 50 },
    });
    expect(result.aborted?.reason).toBe('max-requests');
    // Requests in flight when the budget ran out are cut off by the engine: counted apart, never as responses.
    const count = (metric: string): number => result.store.query({ metric }).count;
    expect(count('http_reqs') + count('http_reqs_aborted')).toBe(50);
  });

  it('counts requests that fail to render as render failures, sends none of them and keeps the budget for real requests', { timeout: 10_000 }, async () => {
    const before = target.traceparents.length;
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: { s: spec({ executor: 'shared-iterations', vus: 2, iterations: 6, steps: [{ name: 'read', request: { path: '/fhir/Patient?family={{ synthetic.familyName }}' } }] }) },
      safety: { ...SAFETY, maxRequests: 3 },
    });
    expect(target.traceparents.length).toBe(before);
    expect(result.requests).toBe(0);
    expect(result.aborted).toBeUndefined();
    expect(result.renderFailures.count).toBe(6);
    expect(result.renderFailures.first).toMatchObject({ scenario: 's', name: '/fhir/Patient?family={{ synthetic.familyName }}' });
    expect(result.renderFailures.first?.message).toContain('{{ synthetic.familyName }}');
    expect(result.store.query({ metric: RENDER_FAILURES_METRIC, tags: { scenario: 's' } }).count).toBe(6);
    expect(sentNothingReason(result)).toMatch(/^no requests were sent: 6 request\(s\) failed to render; first in scenario "s", step .*synthetic\.familyName/);
  });

  it('says why when no iteration reached a request', { timeout: 10_000 }, async () => {
    const result = await runLoad({
      baseUrl: target.baseUrl,
      scenarios: { s: spec({ executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 1, stages: [{ duration: '500ms', target: 0 }], steps: [{ name: 'h', request: { path: '/health' } }] }) },
      safety: SAFETY,
    });
    expect(result.requests).toBe(0);
    expect(result.renderFailures.count).toBe(0);
    expect(sentNothingReason(result)).toMatch(/^no requests were sent \(no iteration reached a request/);
  });
});
