/** @module reports/evaluate: the slowest traces of each fault window, as results.json keeps their waterfalls. */
import type { SlowTrace } from '../../collectors/index.js';
import type { FaultWindow, TraceWaterfallResult } from '../results/types.js';
import { faultWindowName, kindName } from './attribution.js';

/** Waterfalls of the fault windows' slow traces (the baseline's are only there to compare). */
export function faultWaterfalls(slow: readonly SlowTrace[], faults: readonly FaultWindow[]): TraceWaterfallResult[] {
  return faults.flatMap((f) => slow.filter((t) => t.window === faultWindowName(f.name)).map((t): TraceWaterfallResult => ({
    traceId: t.waterfall.traceId, fault: f.name, source: t.source, startMs: t.startMs, durationMs: t.waterfall.durationMs, omitted: t.waterfall.omitted,
    spans: t.waterfall.spans.map((s) => ({
      spanId: s.spanId, parentSpanId: s.parentSpanId, depth: s.depth, service: s.service, name: s.name, kind: kindName(s.kind),
      offsetMs: s.offsetMs, durationMs: s.durationMs, selfMs: s.selfMs, error: s.isError, critical: s.critical,
    })),
  })));
}
