import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/index.js';
import { millis } from '../../core/index.js';
import type { SpanAggregate } from '../../collectors/index.js';
import { createHistogramLoad } from '../testing/histogram-load.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { renderHtml } from '../writers/html.js';
import { evaluateRun } from './evaluate-run.js';
import { faultWindows } from './scopes.js';
import type { ThresholdInput } from './input.js';

const entry = (offsetMs: number, action: JournalEntry['action'], extra: Partial<JournalEntry> = {}): JournalEntry =>
  ({ time: new Date(offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra });
const planned = [{ name: 'db-down', proxy: 'postgres', toxic: 'timeout', startMs: 10_000, endMs: 20_000, attributes: { timeout: 0 } }];

describe('faultWindows', () => {
  it('uses the plan when the journal has no fault actions, clipped to the run', () => {
    expect(faultWindows([], planned, 15_000)).toEqual([
      { name: 'db-down', proxy: 'postgres', toxic: 'timeout', stream: null, attributes: { timeout: 0 }, startMs: 10_000, endMs: 15_000, source: 'plan' },
    ]);
  });

  it('ends a fault that was never switched off at the end of the run, and ignores a fault-on that failed', () => {
    const journal = [
      entry(10_400, 'fault-on', { proxy: 'postgres', toxic: 'db-down', type: 'timeout' }),
      entry(12_000, 'fault-on', { proxy: 'ehr', toxic: 'ehr-slow', type: 'latency', outcome: 'error', error: 'proxy not found' }),
    ];
    const w = faultWindows(journal, planned, 30_000);
    expect(w.map((f) => [f.name, f.startMs, f.endMs, f.source, f.attributes])).toEqual([['db-down', 10_400, 30_000, 'journal', { timeout: 0 }]]);
  });
});

/** 10 s, 10 req/s: statuses 200 ×8, 404, 503 per second; latency 10·i ms. */
function small() {
  const load = createHistogramLoad();
  for (let s = 0; s < 10; s++) {
    for (let i = 0; i < 10; i++) {
      const status = i === 8 ? 404 : i === 9 ? 503 : 200;
      load.record({ atMs: s * 1000 + i, scenario: i % 2 ? 'b' : 'a', name: 'r', status, durationMs: 10 * (i + 1), failed: status >= 400 });
    }
    if (s === 3) load.recordDropped(s, 'a', 7);
  }
  return load;
}
const meta = { name: 'x', runId: 'r', planFile: 'p.yaml', target: 'http://127.0.0.1:1', startedAt: '2026-11-25T10:00:00.000Z', endedAt: '2026-11-25T10:00:10.000Z', durationMs: 10_000 };
const threshold = (source: string, metric: string, tags: Record<string, string>, expr: { source: string; aggregation: any; op: any; value: number; percentile?: number }): ThresholdInput =>
  ({ key: { source, metric, tags }, expressions: [{ expression: expr }] });

describe('thresholds from the load query', () => {
  const results = evaluateRun({
    meta, phases: [], faults: [], journal: [], slos: [], load: small(),
    checks: [{ scenario: 'a', name: 'ok', passes: 9, fails: 1 }],
    thresholds: [
      threshold('http_reqs', 'http_reqs', {}, { source: 'rate>=10', aggregation: 'rate', op: '>=', value: 10 }),
      threshold('http_req_duration{status:200}', 'http_req_duration', { status: '200' }, { source: 'max<=80', aggregation: 'max', op: '<=', value: 80 }),
      threshold('http_req_duration{expected_response:true}', 'http_req_duration', { expected_response: 'true' }, { source: 'avg<50', aggregation: 'avg', op: '<', value: 50 }),
      threshold('http_req_failed{scenario:b}', 'http_req_failed', { scenario: 'b' }, { source: 'rate<0.3', aggregation: 'rate', op: '<', value: 0.3 }),
      threshold('dropped_iterations', 'dropped_iterations', {}, { source: 'count<5', aggregation: 'count', op: '<', value: 5 }),
      threshold('checks', 'checks', {}, { source: 'rate>0.95', aggregation: 'rate', op: '>', value: 0.95 }),
      threshold('http_req_duration{scenario:none}', 'http_req_duration', { scenario: 'none' }, { source: 'p(95)<1', aggregation: 'p', op: '<', value: 1, percentile: 95 }),
      threshold('http_req_waiting', 'http_req_waiting', {}, { source: 'p(95)<1', aggregation: 'p', op: '<', value: 1, percentile: 95 }),
      threshold('http_req_duration{url:/x}', 'http_req_duration', { url: '/x' }, { source: 'p(95)<1', aggregation: 'p', op: '<', value: 1, percentile: 95 }),
    ],
  });
  const byName = Object.fromEntries(results.verdicts.filter((v) => v.kind === 'threshold').map((v) => [v.name, v]));

  it('applies k6 aggregations with tag filters (hand-computed)', () => {
    expect(byName['http_reqs: rate>=10']).toMatchObject({ pass: true, observed: 10 });
    expect(byName['http_req_duration{status:200}: max<=80']).toMatchObject({ pass: true, observed: 80 });
    expect(byName['http_req_duration{expected_response:true}: avg<50']).toMatchObject({ pass: true, observed: 45 }); // mean of 10…80
    expect(byName['http_req_failed{scenario:b}: rate<0.3']!.pass).toBe(true); // b = odd i: 1,3,5,7,9 → 1 failed of 5 = 0.2
    expect(byName['http_req_failed{scenario:b}: rate<0.3']!.observed).toBeCloseTo(0.2, 12);
    expect(byName['dropped_iterations: count<5']).toMatchObject({ pass: false, observed: 7 });
    expect(byName['checks: rate>0.95']).toMatchObject({ pass: false, observed: 0.9 });
  });

  it('passes a key without samples (as k6) and fails unknown metrics and tags with a message', () => {
    expect(byName['http_req_duration{scenario:none}: p(95)<1']).toMatchObject({ pass: true, observed: null });
    expect(byName['http_req_waiting: p(95)<1']!.pass).toBe(false);
    expect(byName['http_req_waiting: p(95)<1']!.message).toContain('not kept by this load source');
    expect(byName['http_req_duration{url:/x}: p(95)<1']!.message).toContain('tag(s) url are not recorded');
  });
});

describe('SLOs on server spans', () => {
  const latency = (p50: number): SpanAggregate['latency'] => ({ count: 100, sumMs: 0, minMs: 0, maxMs: 4 * p50, avgMs: p50, p50Ms: p50, p90Ms: 2 * p50, p95Ms: 3 * p50, p99Ms: 3.5 * p50 });
  const aggregates: SpanAggregate[] = [
    { phase: 'baseline', service: 'ehr', span: 'lookup', count: 100, errors: 1, latency: latency(10) },
    { phase: 'fault', service: 'ehr', span: 'lookup', count: 100, errors: 30, latency: latency(100) },
    { phase: 'fault', service: 'other', span: 'x', count: 100, errors: 100, latency: latency(1) },
  ];
  const results = evaluateRun({
    meta, phases: [{ name: 'baseline', startMs: 0, endMs: 5000 }, { name: 'fault', startMs: 5000, endMs: 10_000 }], faults: [], journal: [], thresholds: [],
    load: small(), spans: { aggregates },
    slos: [
      { name: 'ehr up', objective: 0.9, sli: 'availability', window: millis(86_400_000), filter: { service: 'ehr' } },
      { name: 'ehr fast', objective: 0.9, sli: { latency: millis(200) }, window: millis(86_400_000), filter: { service: 'ehr' } },
    ],
  });

  it('counts availability from span errors of that service only, per phase', () => {
    const up = results.slos[0]!;
    expect(up.source).toBe('spans');
    expect(up.scopes.map((s) => [s.scope, s.total, s.bad, s.pass, s.estimated])).toEqual([
      ['run', 200, 31, false, false], ['baseline', 100, 1, true, false], ['fault', 100, 30, false, false],
    ]);
    expect(up.scopes[2]!.startMs).toBe(5000);
    expect(up.budget.alerts.every((a) => a.firedDuringDrill === null)).toBe(true);
  });

  it('estimates a latency SLI from span quantiles by linear interpolation, flagged as estimated', () => {
    // fault: p50 100, p90 200 → 200 ms sits at the 90th percentile: 90 of 100 good; baseline max 40 ms: all good.
    const fast = results.slos[1]!;
    expect(fast.scopes.map((s) => [s.scope, s.good, s.estimated])).toEqual([['run', 190, true], ['baseline', 100, true], ['fault', 90, true]]);
  });
});

describe('plain-data verdicts', () => {
  it('takes run/ probe results (when: before/after) as hypothesis verdicts, and a halt as a failed verdict', () => {
    const probe = { name: 'api healthy', when: 'after' as const, pass: false, status: 503, durationMs: 12, tries: 3, message: 'GET /health → 503 after 3 tries' };
    const r = evaluateRun({ meta, phases: [], faults: [], journal: [], slos: [], thresholds: [], load: small(), hypothesis: [probe], halt: { reason: 'error rate 62 % for 10 s', atMs: 8000 } });
    expect(r.verdicts.map((v) => [v.kind, v.phase, v.pass, v.observed])).toEqual([['hypothesis', 'after', false, 503], ['halt', null, false, 8000]]);
    expect(r.meta).toMatchObject({ status: 'halted', haltReason: 'error rate 62 % for 10 s', exitCode: 1 });
  });
});

describe('interrupted runs and hostile names', () => {
  it('clips phases to the time the run really lasted', () => {
    const r = evaluateRun({ meta: { ...meta, interrupted: true }, phases: [{ name: 'baseline', startMs: 0, endMs: 8000 }, { name: 'fault', startMs: 8000, endMs: 20_000 }, { name: 'recovery', startMs: 20_000, endMs: 30_000 }], faults: [], journal: [], slos: [], thresholds: [], load: small() });
    expect(r.phases).toEqual([{ name: 'baseline', startMs: 0, endMs: 8000 }, { name: 'fault', startMs: 8000, endMs: 10_000 }]);
    expect(r.meta.status).toBe('interrupted');
  });

  it('escapes plan-provided text in the HTML', () => {
    const input = sampleRunInput();
    const html = renderHtml(evaluateRun({ ...input, meta: { ...input.meta, name: '<script>alert(1)</script>' }, checks: [{ scenario: '"><img src=x onerror=alert(1)>', name: 'c', passes: 1, fails: 1 }] }));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
