/**
 * @module collectors/remote-write: trend stats as k6's remote-write output names them (K6_PROMETHEUS_RW_TREND_STATS):
 * `avg`, `min`, `med`, `max`, `count`, `sum`, `p(N)`; `p(95)` becomes the suffix `p95`, `p(99.9)` becomes `p999`.
 */
import type { Aggregate } from '../../core/metrics/index.js';

export interface TrendStatSpec {
  /** As written, e.g. `p(99.9)`. */
  readonly stat: string;
  /** The metric-name suffix, e.g. `p999`. */
  readonly suffix: string;
  /** The value in the trend's own unit (ms for time trends). */
  readonly of: (a: Aggregate) => number;
}

const NAMED: Readonly<Record<string, (a: Aggregate) => number>> = {
  avg: (a) => a.avg, min: (a) => a.min, med: (a) => a.med, max: (a) => a.max, count: (a) => a.samples, sum: (a) => a.sum,
};

/** The spec of one stat, or undefined when k6 would refuse it. */
export function parseTrendStat(stat: string): TrendStatSpec | undefined {
  const named = NAMED[stat];
  if (named) return { stat, suffix: stat, of: named };
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n < 0 || n > 100) return undefined;
  return { stat, suffix: `p${(m[1] as string).replace('.', '')}`, of: (a) => a.percentile(n) };
}

/**
 * codeblue's default: every stat the stock k6 dashboard 19665 queries (its `quantile_stat` picker and the
 * "Requests by URL" table). k6's own default is `p(99)` alone; set `trendStats: [p(99)]` for exactly that.
 */
export const DEFAULT_TREND_STATS = ['p(99)', 'p(95)', 'p(90)', 'avg', 'med', 'min', 'max'] as const;
