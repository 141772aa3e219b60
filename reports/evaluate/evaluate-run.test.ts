import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/index.js';
import { millis } from '../../core/index.js';
import { createHistogramLoad } from '../testing/histogram-load.js';
import { burnAlerts } from './burn.js';
import { evaluateRun, exitCodeFor } from './evaluate-run.js';
import type { RunEvaluationInput } from './input.js';

const DAY = 86_400_000;
const at = (offsetMs: number, action: JournalEntry['action'], extra: Partial<JournalEntry> = {}): JournalEntry => ({
  time: new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra,
});

/**
 * 100 s, one endpoint, 10 req/s. Baseline 0–30 s at 10 ms. Fault 30–50 s: 100 ms, 2 of 10 requests fail each
 * second. 50–54 s still 100 ms (no failures), healthy (10 ms) from 55 s.
 */
function handRun(): RunEvaluationInput {
  const load = createHistogramLoad();
  for (let s = 0; s < 100; s++) {
    for (let i = 0; i < 10; i++) {
      const inFault = s >= 30 && s < 50;
      const slow = s >= 30 && s < 55;
      const failed = inFault && i < 2;
      load.record({ atMs: s * 1000 + i * 100, scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', status: failed ? 503 : 200, durationMs: slow ? 100 : 10, failed });
    }
    load.recordVus(s, 'clinicians', 5);
  }
  return {
    meta: { name: 'hand', runId: 'r1', planFile: 'codeblue.yaml', target: 'http://127.0.0.1:8080', startedAt: at(0, 'run-start').time, endedAt: at(100_000, 'run-end').time, durationMs: 100_000 },
    phases: [{ name: 'baseline', startMs: 0, endMs: 30_000 }, { name: 'fault', startMs: 30_000, endMs: 50_000 }, { name: 'recovery', startMs: 50_000, endMs: 100_000 }],
    faults: [{ name: 'ehr-latency', proxy: 'ehr', toxic: 'latency', startMs: 30_000, endMs: 50_000 }],
    journal: [
      at(0, 'run-start'), at(0, 'phase-start', { phase: 'baseline' }), at(30_000, 'phase-start', { phase: 'fault' }),
      at(30_000, 'fault-on', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency', stream: 'downstream', attributes: { latency: 90 } }),
      at(50_000, 'fault-off', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }), at(50_000, 'phase-start', { phase: 'recovery' }),
      at(100_000, 'run-end'),
    ],
    slos: [
      { name: 'availability', objective: 0.995, sli: 'availability', window: millis(30 * DAY) },
      { name: 'fast reads', objective: 0.99, sli: { latency: millis(50) }, window: millis(30 * DAY) },
    ],
    thresholds: [
      { key: { source: 'http_req_duration', metric: 'http_req_duration', tags: {} }, expressions: [{ expression: { source: 'p(95)<50', aggregation: 'p', percentile: 95, op: '<', value: 50 } }] },
      { key: { source: 'http_req_failed', metric: 'http_req_failed', tags: {} }, expressions: [{ expression: { source: 'rate<0.05', aggregation: 'rate', op: '<', value: 0.05 } }] },
    ],
    load,
  };
}

describe('evaluateRun on a hand-computed run', () => {
  const results = evaluateRun(handRun());
  const availability = results.slos[0]!;
  const latency = results.slos[1]!;

  it('takes the fault window from the journal', () => {
    expect(results.faults).toEqual([{ name: 'ehr-latency', proxy: 'ehr', toxic: 'latency', stream: 'downstream', attributes: { latency: 90 }, startMs: 30_000, endMs: 50_000, source: 'journal' }]);
  });

  it('counts availability per scope: 40 bad of 1000, all of them in the fault', () => {
    const byScope = Object.fromEntries(availability.scopes.map((s) => [s.scope, s]));
    expect(byScope.run).toMatchObject({ total: 1000, good: 960, bad: 40, ratio: 0.96, pass: false });
    expect(byScope.baseline).toMatchObject({ total: 300, bad: 0, ratio: 1, pass: true, burnRate: 0 });
    expect(byScope['fault:ehr-latency']).toMatchObject({ total: 200, bad: 40, ratio: 0.8, pass: false });
    expect(byScope.run!.burnRate).toBeCloseTo(8, 9); // 0.04 / 0.005
    expect(byScope['fault:ehr-latency']!.burnRate).toBeCloseTo(40, 9); // 0.2 / 0.005
  });

  it('does the budget maths: 40 bad of a 129 600-request budget = 4 s of the 3.6 h allowance', () => {
    const b = availability.budget;
    expect(b.eventsPerSecond).toBe(10);
    expect(b.budgetEvents).toBeCloseTo(0.005 * 10 * 2_592_000, 6);
    expect(b.consumedFraction).toBeCloseTo(40 / 129_600, 12);
    expect(b.budgetTimeMs).toBeCloseTo(12_960_000, 3);
    expect(b.consumedTimeMs).toBeCloseTo(4000, 6);
    expect(b.worstScope).toBe('fault');
    expect(b.exhaustsAfterMs).toBeCloseTo((30 * DAY) / 40, 3);
    expect(b.sentence).toContain('30-day budget of 99.5 %');
    expect(b.sentence).toContain('lasts 18 h');
    expect(b.sentence).toContain('(4 s)');
  });

  it('reports which burn-rate alerts fire if the fault burn lasted, and that none fired during the short drill', () => {
    expect(availability.budget.alerts.map((a) => [a.factor, a.firesIfSustained, a.firedDuringDrill])).toEqual([
      [14.4, true, false], [6, true, false], [3, true, false], [1, true, false],
    ]);
  });

  it('counts a latency SLI as the fraction at or below the threshold', () => {
    const run = latency.scopes.find((s) => s.scope === 'run')!;
    expect(run).toMatchObject({ total: 1000, good: 750, bad: 250, ratio: 0.75 });
    expect(run.burnRate).toBeCloseTo(25, 9); // 0.25 / 0.01
  });

  it('detects recovery at 55 s (first of 3 healthy seconds) and scores the fault', () => {
    const f = results.resilience.faults[0]!;
    expect(f.baseline).toMatchObject({ requests: 300, rps: 10, errorRate: 0, p95Ms: 10 });
    expect(f.during).toMatchObject({ requests: 200, errorRate: 0.2, p95Ms: 100 });
    expect(f).toMatchObject({ p95DeltaMs: 90, p95Ratio: 10, recovered: true, recoveredAtMs: 55_000, timeToRecoverMs: 5000 });
    expect(f.errorRateDelta).toBeCloseTo(0.2, 12);
    expect(f.penalties).toEqual({ errors: 1, latency: 1, recovery: 0.08 });
    expect(f.score).toBe(28); // 100 × (1 − (0.4·1 + 0.3·1 + 0.3·0.08))
    expect(results.resilience.score).toBe(28);
  });

  it('evaluates thresholds over the whole run with k6 semantics, per-phase values as information', () => {
    const t = results.verdicts.filter((v) => v.kind === 'threshold');
    expect(t.map((v) => [v.name, v.pass, v.observed])).toEqual([
      ['http_req_duration: p(95)<50', false, 100],
      ['http_req_failed: rate<0.05', true, 0.04],
    ]);
    expect(t[0]!.message).toContain('baseline 10ms');
  });

  it('builds the per-second timeline and per-phase tables', () => {
    expect(results.timeline.startMs).toHaveLength(100);
    expect(results.timeline.overall.requests[35]).toBe(10);
    expect(results.timeline.overall.errorRate[35]).toBeCloseTo(0.2, 12);
    expect(results.timeline.overall.p95Ms[52]).toBe(100);
    expect(results.timeline.overall.vus[0]).toBe(5);
    const fault = results.phaseTables.find((t) => t.scope === 'fault')!;
    expect(fault.rows).toEqual([{ scenario: 'clinicians', request: 'GET /fhir/Patient/{id}', count: 200, failures: 40, errorRate: 0.2, p50Ms: 100, p95Ms: 100, p99Ms: 100, maxMs: 100, p95CorrectedMs: 100, p99CorrectedMs: 100 }]);
  });

  it('fails the run (exit 1) because SLOs and a threshold failed', () => {
    expect(results.meta.status).toBe('failed');
    expect(results.meta.exitCode).toBe(1);
    expect(exitCodeFor(results)).toBe(1);
  });
});

describe('evaluateRun status', () => {
  it('passes (exit 0) a clean run, halts (1) and interrupts (130)', () => {
    const clean = handRun();
    const ok = evaluateRun({ ...clean, slos: [], thresholds: [] });
    expect([ok.meta.status, ok.meta.exitCode]).toEqual(['passed', 0]);
    const halted = evaluateRun({ ...clean, slos: [], thresholds: [], halt: { reason: 'error rate 60 % for 10 s', atMs: 42_000 } });
    expect([halted.meta.status, halted.meta.exitCode, halted.meta.haltReason]).toEqual(['halted', 1, 'error rate 60 % for 10 s']);
    const cut = evaluateRun({ ...clean, meta: { ...clean.meta, interrupted: true } });
    expect([cut.meta.status, cut.meta.exitCode]).toEqual(['interrupted', 130]);
  });

  it('reports a failed check without failing the run, as k6 does; a checks threshold gates it', () => {
    const clean = handRun();
    const checks = [{ scenario: 'clinicians', name: 'status is 200', passes: 99, fails: 1 }];
    const reported = evaluateRun({ ...clean, slos: [], thresholds: [], checks });
    expect(reported.verdicts.find((v) => v.kind === 'check')?.pass).toBe(false);
    expect([reported.meta.status, reported.meta.exitCode]).toEqual(['passed', 0]);
  });
});

describe('evaluateRun without the after-run span pass', () => {
  const summary = (ms: number) => ({ count: 10, sumMs: ms * 10, minMs: ms, maxMs: ms, avgMs: ms, p50Ms: ms, p90Ms: ms, p95Ms: ms, p99Ms: ms });
  const row = (ms: number, errors: number) => ({ service: 'fhir-api', span: 'GET', kind: 2, count: 10, errors, duration: summary(ms), self: summary(ms) });
  const aggregates = [{ phase: 'fault', service: 'fhir-api', span: 'GET', count: 10, errors: 4, latency: summary(900) }];
  const analysed = {
    aggregates,
    perSecond: [{ service: 'fhir-api', startMs: 31_000, count: 10, p95Ms: 950 }],
    windows: [{ name: 'baseline', startMs: 0, endMs: 30_000, traces: 10, rows: [row(10, 0)] }, { name: 'fault:ehr-latency', startMs: 30_000, endMs: 50_000, traces: 10, rows: [row(900, 4)] }],
    slowTraces: [],
  } as unknown as NonNullable<RunEvaluationInput['spans']>;

  it('gives the same verdicts, status and exit code with and without window statistics, per-second p95 and waterfalls (so the verdict is said before that pass)', () => {
    const run = handRun();
    const withSlo = { ...run, slos: [...run.slos, { name: 'api availability', objective: 0.99, sli: 'availability' as const, window: millis(30 * DAY), filter: { service: 'fhir-api' } }] };
    const full = evaluateRun({ ...withSlo, spans: analysed });
    const early = evaluateRun({ ...withSlo, spans: { aggregates } });
    expect(full.attribution).toBeDefined();
    expect(early.attribution).toBeUndefined();
    expect(early.verdicts).toEqual(full.verdicts);
    expect(early.slos).toEqual(full.slos);
    expect([early.meta.status, early.meta.exitCode]).toEqual([full.meta.status, full.meta.exitCode]);
  });
});

describe('burnAlerts during a drill', () => {
  it('fires each pair at the second both windows reach the factor (600 s of total failure at 1 req/s, 99.9 %)', () => {
    const events = { total: new Array<number>(600).fill(1), bad: new Array<number>(600).fill(1) };
    const alerts = burnAlerts(30 * DAY, 0.999, 1000, events);
    // 1 h window at t: t / 3600 / 0.001 ≥ 14.4 ⇔ t ≥ 51.84 s; 6 h: t ≥ 129.6; 1 d: t ≥ 259.2; 3 d: t ≥ 259.2
    expect(alerts.map((a) => a.firstFiredAtMs)).toEqual([52_000, 130_000, 260_000, 260_000]);
    expect(alerts.map((a) => a.shortWindowMs)).toEqual([300_000, 1_800_000, 7_200_000, 21_600_000]);
  });

  it('scales the factors to other SLO windows (7 days: 3.36, 1.4, 0.7, 0.233)', () => {
    expect(burnAlerts(7 * DAY, 0.999, 0, null).map((a) => [a.factor, a.firedDuringDrill])).toEqual([[3.36, null], [1.4, null], [0.7, null], [0.233, null]]);
  });
});
