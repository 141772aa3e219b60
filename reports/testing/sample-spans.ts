/**
 * @module reports/testing: the span side of the synthetic game day — baseline and fault-window statistics
 * (the EHR call takes the added time) and one slow trace per fault window, as collectors' analyzeSpans gives them. @internal
 */
import type { LatencySummary, SlowTrace, SpanWindowRow, SpanWindowStats, WaterfallSpan } from '../../collectors/index.js';

const flat = (count: number, p50: number): LatencySummary => ({
  count, sumMs: count * p50 * 1.1, minMs: p50 / 2, maxMs: p50 * 4, avgMs: p50 * 1.1, p50Ms: p50, p90Ms: p50 * 1.8, p95Ms: p50 * 2, p99Ms: p50 * 3,
});

const row = (service: string, span: string, kind: number, count: number, p50: number, selfP50: number, errors = 0): SpanWindowRow =>
  ({ service, span, kind, count, errors, duration: flat(count, p50), self: flat(count, selfP50) });

/** `slow`: the fault multiplies the EHR call's time by it. */
export function sampleSpanWindows(base: { startMs: number; endMs: number }, fault: { name: string; startMs: number; endMs: number }, slow: number): SpanWindowStats[] {
  const rows = (n: number, ehr: number, errors: number): SpanWindowRow[] => [
    row('fhir-api', 'GET /fhir/Patient/:id', 2, n, 12 + ehr, 9, errors),
    row('ehr-adapter', 'ehr.lookup', 1, n, 2 + ehr, 2),
    row('legacy-ehr', 'MLLP send', 3, n, ehr, ehr, errors),
    row('fhir-api', 'pg.query SELECT', 3, n * 2, 1.5, 1.5),
  ];
  return [
    { name: 'baseline', ...base, traces: 900, rows: rows(900, 8, 1) },
    { name: `fault:${fault.name}`, startMs: fault.startMs, endMs: fault.endMs, traces: 880, rows: rows(880, 8 * slow, 60) },
  ];
}

/** One slow trace of the fault window: api → adapter → EHR (critical), beside a database read (off the path). */
export function sampleSlowTrace(fault: { name: string; startMs: number }): SlowTrace {
  const span = (spanId: string, parentSpanId: string, depth: number, service: string, name: string, offsetMs: number, durationMs: number, selfMs: number, critical: boolean): WaterfallSpan =>
    ({ spanId, parentSpanId, depth, service, name, kind: depth === 0 ? 2 : 3, offsetMs, durationMs, selfMs, isError: false, critical });
  return {
    window: `fault:${fault.name}`, startMs: fault.startMs + 4200, source: 'slowest',
    waterfall: {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', startEpochMs: 0, durationMs: 2240, omitted: 0,
      spans: [
        span('a1', '', 0, 'fhir-api', 'GET /fhir/Patient/:id', 0, 2240, 28, true),
        span('b1', 'a1', 1, 'fhir-api', 'pg.query SELECT', 3, 2, 2, false),
        span('c1', 'a1', 1, 'ehr-adapter', 'ehr.lookup', 10, 2210, 12, true),
        span('d1', 'c1', 2, 'legacy-ehr', 'MLLP send', 14, 2198, 2198, true),
      ],
    },
  };
}
