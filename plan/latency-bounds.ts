/**
 * @module plan: the latencies a plan judges requests by — SLO latency thresholds and the bounds of thresholds on
 * time metrics. The run's /metrics histograms get a bucket at each, and the dashboards' SLO queries count good
 * events at that exact bucket (not at the nearest default bound below it).
 */
import { TIME_METRICS } from '../core/metrics/index.js';
import type { Plan } from './types.js';

const LATENCY_AGGREGATIONS: ReadonlySet<string> = new Set(['avg', 'min', 'max', 'med', 'p']);

/** More than this many extra bounds would multiply every histogram series; SLO thresholds come first. */
const MAX_EXTRA_LATENCY_BOUNDS = 32;

/**
 * The plan's latency bounds in ms, SLO thresholds first, without repeats, at most MAX_EXTRA_LATENCY_BOUNDS.
 * @example planLatencyBoundsMs(plan) // [2000, 800] for a "latency 2s" SLO and "p(95)<800" on http_req_duration
 */
export function planLatencyBoundsMs(plan: Pick<Plan, 'slos' | 'thresholds'>): number[] {
  const bounds: number[] = [];
  for (const slo of plan.slos) if (slo.sli !== 'availability') bounds.push(slo.sli.latency);
  for (const t of plan.thresholds) {
    if (!TIME_METRICS.has(t.key.metric)) continue;
    for (const { expression } of t.expressions) if (LATENCY_AGGREGATIONS.has(expression.aggregation)) bounds.push(expression.value);
  }
  return [...new Set(bounds.filter((ms) => Number.isFinite(ms) && ms > 0))].slice(0, MAX_EXTRA_LATENCY_BOUNDS);
}
