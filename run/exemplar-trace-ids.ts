/**
 * @module run: "is this trace one of the load's exemplars?" for the span store's tail sampling — a set of the trace
 * ids the exemplar reservoirs hold for recent seconds, refreshed at most once a second (a trace is judged seconds
 * after its request ended, long before its second leaves the horizon).
 */
import type { DeferredClock } from '../core/index.js';
import type { MetricStore } from '../core/metrics/index.js';

/** Seconds of intended start looked back (a slow request and its trace's decision wait both fit in it). */
const HORIZON_MS = 180_000;
const REFRESH_MS = 1000;

export function exemplarTraceIds(store: MetricStore, clock: DeferredClock): (traceId: string) => boolean {
  let ids = new Set<string>();
  let refreshedAt = -Infinity;
  return (traceId) => {
    const t = Date.now();
    if (t - refreshedAt >= REFRESH_MS) {
      refreshedAt = t;
      const fromMs = clock.started ? Math.max(0, clock.now() - HORIZON_MS) : 0;
      ids = new Set(store.exemplars.query({ fromMs }).candidates.map((e) => e.traceId));
    }
    return ids.has(traceId);
  };
}
