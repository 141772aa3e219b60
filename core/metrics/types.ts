/** @module core/metrics: metric types, tag sets and the aggregate a query returns. */
import type { MetricType } from '../threshold.js';

export type { MetricType };

/** Tag name → value, e.g. `{ scenario: 'clinicians', status: '200', expected_response: 'true' }`. */
export type Tags = Readonly<Record<string, string>>;

/** One series: a metric with one exact tag set. */
export interface SeriesInfo {
  readonly metric: string;
  readonly type: MetricType;
  readonly tags: Tags;
  /** True for time metrics (values in ms), as k6's `contains: time`. */
  readonly isTime: boolean;
}

/** What to aggregate: a metric, an optional sub-metric tag filter and a run-offset range [fromMs, toMs). */
export interface MetricQuery {
  readonly metric: string;
  /** k6 sub-metric semantics: a series matches when it has every listed tag with that value. */
  readonly tags?: Tags;
  /** Run offset in ms, inclusive, rounded down to its second bucket. */
  readonly fromMs?: number;
  /** Run offset in ms, exclusive, rounded up to its second bucket. */
  readonly toMs?: number;
  /** Elapsed time used for counter `rate` (per second); defaults to the span of the range or of the data. */
  readonly elapsedMs?: number;
}

/**
 * Aggregates of one query. Trend values are ms. `count` is the number of samples for trends and rates,
 * and the summed value for counters (k6 `count`). `rate` is passes/total for rates, and count per second for counters.
 */
export interface Aggregate {
  readonly metric: string;
  readonly type: MetricType;
  /** Number of samples recorded. */
  readonly samples: number;
  readonly count: number;
  readonly rate: number;
  /** Rate metrics: non-zero samples (k6 "passes"); counters: same as count. */
  readonly passes: number;
  readonly sum: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly med: number;
  /** Gauges: the last value recorded in the range. */
  readonly value: number;
  /** Trend percentile in ms, N in 0–100 (0 when empty). */
  percentile(n: number): number;
  /** Trends: samples whose value is ≤ ms (HDR precision, exact at the min/max edges); 0 for other types. */
  countAtOrBelow(ms: number): number;
  /** `countAtOrBelow` at each of `ascendingMs` (ascending), in one pass. */
  countsAtOrBelow(ascendingMs: readonly number[]): number[];
}
