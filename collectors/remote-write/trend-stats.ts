/**
 * @module collectors/remote-write: trend stats as k6's remote-write output names them (K6_PROMETHEUS_RW_TREND_STATS):
 * `avg`, `min`, `med`, `max`, `count`, `sum`, `p(N)`; `p(95)` becomes the suffix `p95`, `p(99.9)` becomes `p999`.
 */
import type { Aggregate, SeriesSnapshot } from '../../core/metrics/index.js';

export interface TrendStatSpec {
  /** As written, e.g. `p(99.9)`. */
  readonly stat: string;
  /** The metric-name suffix, e.g. `p999`. */
  readonly suffix: string;
  /** The value in the trend's own unit (ms for time trends). */
  readonly of: (a: Aggregate) => number;
  /** For `p(N)` and `med`: N (0–100), so all percentiles of a series come from one pass over its values. */
  readonly percentile?: number;
}

const NAMED: Readonly<Record<string, (a: Aggregate) => number>> = {
  avg: (a) => a.avg, min: (a) => a.min, med: (a) => a.med, max: (a) => a.max, count: (a) => a.samples, sum: (a) => a.sum,
};

/** The spec of one stat, or undefined when k6 would refuse it. */
export function parseTrendStat(stat: string): TrendStatSpec | undefined {
  const named = NAMED[stat];
  if (named) return { stat, suffix: stat, of: named, ...(stat === 'med' ? { percentile: 50 } : {}) };
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n < 0 || n > 100) return undefined;
  return { stat, suffix: `p${(m[1] as string).replace('.', '')}`, of: (a) => a.percentile(n), percentile: n };
}

/**
 * codeblue's default: every stat the stock k6 dashboard 19665 queries (its `quantile_stat` picker and the
 * "Requests by URL" table). k6's own default is `p(99)` alone; set `trendStats: [p(99)]` for exactly that.
 */
export const DEFAULT_TREND_STATS = ['p(99)', 'p(95)', 'p(90)', 'avg', 'med', 'min', 'max'] as const;

/**
 * Every asked percentile of a trend in one ascending pass over its distinct values (k6/HDR rule: the smallest
 * value with at least ⌈N % × count⌉ samples at or below it), kept within the exact min and max.
 */
export function percentilesOf(snapshot: SeriesSnapshot, ns: readonly number[]): Map<number, number> {
  const { samples, min, max } = snapshot.aggregate;
  const wanted = [...new Set(ns)].sort((a, b) => a - b).map((n) => ({ n, rank: Math.max(1, Math.ceil((n / 100) * samples)) }));
  const out = new Map<number, number>();
  let seen = 0;
  let next = 0;
  snapshot.forEachValue((ms, count) => {
    seen += count;
    while (next < wanted.length && seen >= (wanted[next] as { rank: number }).rank) out.set((wanted[next++] as { n: number }).n, ms);
  });
  for (const { n } of wanted) out.set(n, n <= 0 ? min : n >= 100 ? max : Math.min(Math.max(out.get(n) ?? max, min), max));
  return out;
}
