/** @module reports/evaluate: fault attribution — ranking by added self time per request, shares and deltas. */
import { describe, expect, it } from 'vitest';
import type { LatencySummary, SpanWindowRow, SpanWindowStats } from '../../collectors/index.js';
import type { FaultWindow } from '../results/types.js';
import { attributionWindows, evaluateAttribution } from './attribution.js';

/** A summary where every span took `ms` (p50 = p95). */
const flat = (count: number, ms: number): LatencySummary => ({ count, sumMs: count * ms, minMs: ms, maxMs: ms, avgMs: ms, p50Ms: ms, p90Ms: ms, p95Ms: ms, p99Ms: ms });
const row = (service: string, span: string, count: number, durationMs: number, selfMs: number, errors = 0, kind = 3): SpanWindowRow =>
  ({ service, span, kind, count, errors, duration: flat(count, durationMs), self: flat(count, selfMs) });
const win = (name: string, startMs: number, traces: number, rows: SpanWindowRow[]): SpanWindowStats => ({ name, startMs, endMs: startMs + 10_000, traces, rows });
const fault: FaultWindow = { name: 'ehr-slow', proxy: 'ehr', toxic: 'latency', stream: null, attributes: {}, source: 'journal', startMs: 10_000, endMs: 20_000 };

describe('evaluateAttribution', () => {
  it('ranks spans by the self time per request they added, with shares of the added time', () => {
    const base = win('baseline', 0, 100, [row('api', 'POST /fhir/Encounter', 100, 40, 10, 0, 2), row('legacy-ehr', 'MLLP send', 100, 20, 20), row('db', 'INSERT', 100, 10, 10)]);
    const during = win('fault:ehr-slow', 10_000, 50, [row('api', 'POST /fhir/Encounter', 50, 1800, 12, 0, 2), row('legacy-ehr', 'MLLP send', 50, 1778, 1778, 5), row('db', 'INSERT', 50, 10, 10)]);
    const [a] = evaluateAttribution([base, during], [fault]);
    expect(a?.rows.map((r) => r.span)).toEqual(['MLLP send', 'POST /fhir/Encounter', 'INSERT']);
    const ehr = a?.rows[0];
    expect(ehr).toMatchObject({ service: 'legacy-ehr', kind: 'client', countDelta: -50, p50DeltaMs: 1758, p95DeltaMs: 1758, selfP95DeltaMs: 1758, addedMsPerTrace: 1758, errorRateDelta: 0.1 });
    expect(a?.addedMsPerTrace).toBe(1760);
    expect(ehr?.share).toBeCloseTo(1758 / 1760, 6);
    expect(a?.rows[1]).toMatchObject({ kind: 'server', addedMsPerTrace: 2 });
    expect(a?.rows[2]?.share).toBe(0);
  });

  it('counts a span that only appears during the fault as all added, and one that vanished as time given back', () => {
    const base = win('baseline', 0, 10, [row('api', 'GET', 10, 5, 5), row('cache', 'hit', 10, 1, 1)]);
    const during = win('fault:ehr-slow', 10_000, 10, [row('api', 'GET', 10, 300, 5), row('api', 'retry', 20, 150, 150)]);
    const [a] = evaluateAttribution([base, during], [fault]);
    expect(a?.rows.map((r) => [r.span, r.addedMsPerTrace, r.baseline === null, r.during === null])).toEqual([
      ['retry', 300, true, false], ['GET', 0, false, false], ['hit', -1, false, true],
    ]);
  });

  it('gives nothing without a baseline window', () => {
    expect(evaluateAttribution([win('fault:ehr-slow', 10_000, 1, [])], [fault])).toEqual([]);
  });
});

describe('attributionWindows', () => {
  it('names the baseline phase and each fault window; before the first fault when there is no baseline phase', () => {
    const phases = [{ name: 'baseline', startMs: 0, endMs: 5000 }, { name: 'fault', startMs: 5000, endMs: 9000 }];
    expect(attributionWindows(phases, [{ name: 'x', startMs: 6000, endMs: 8000 }])).toEqual([
      { name: 'baseline', startMs: 0, endMs: 5000 }, { name: 'fault:x', startMs: 6000, endMs: 8000 },
    ]);
    expect(attributionWindows([], [{ name: 'x', startMs: 3000, endMs: 4000 }])[0]).toEqual({ name: 'baseline', startMs: 0, endMs: 3000 });
    expect(attributionWindows([], [{ name: 'x', startMs: 0, endMs: 4000 }])).toEqual([]);
    expect(attributionWindows(phases, [])).toEqual([]);
  });
});
