/**
 * @module dashboards: the PromQL of every panel, built from the collectors' metric catalogue so a renamed
 * metric fails here (at build time) instead of showing "No data" in Grafana.
 */
import { DURATION_BUCKETS_SECONDS, secondsOf, escapeLabelValue, METRIC_CATALOGUE, type MetricName } from '../core/index.js';

const KNOWN = new Set<string>(METRIC_CATALOGUE.map((m) => m.name));

/** A catalogue metric name, plus a histogram suffix when given. Throws on a name the collectors do not expose. */
export function metric(name: MetricName, suffix: '' | '_bucket' | '_sum' | '_count' = ''): string {
  if (!KNOWN.has(name)) throw new Error(`dashboards: metric ${name} is not in the collectors' METRIC_CATALOGUE`);
  return `${name}${suffix}`;
}

/** Label matchers; every query is scoped to the dashboard's `$run` variable. */
export function selector(equal: Readonly<Record<string, string>> = {}, regex: Readonly<Record<string, string>> = {}): string {
  const eq = [['run', '$run'], ...Object.entries(equal)].map(([k, v]) => `${k}="${escapeLabelValue(v as string)}"`);
  const re = Object.entries(regex).map(([k, v]) => `${k}=~"${escapeLabelValue(v)}"`);
  return `{${[...eq, ...re].join(',')}}`;
}

/** `sum by (…) (rate(name{…}[w]))`, or `sum(rate(…))` without grouping. */
export function sumRate(series: string, sel: string, window: string, by: readonly string[] = []): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  return `sum${grouping} (rate(${series}${sel}[${window}]))`;
}

/** Quantile `q` of a classic histogram over `window`, grouped by `by` (plus `le`). */
export function quantile(q: number, histogram: MetricName, sel: string, window: string, by: readonly string[] = []): string {
  return `histogram_quantile(${q}, ${sumRate(metric(histogram, '_bucket'), sel, window, [...by, 'le'])})`;
}

/**
 * Failed / all as a ratio per group; a group without failures reads 0 (not "no data"), because the
 * failure counter has no series until the first failure.
 */
export function failureRatio(failed: string, total: string, sel: string, window: string, by: readonly string[] = []): string {
  const bad = sumRate(failed, sel, window, by);
  const all = sumRate(total, sel, window, by);
  return `(${bad} or ${all} * 0) / ${all}`;
}

/**
 * The `le` matcher of the largest bucket bound ≤ `thresholdMs` among `buckets` (seconds; default: the default
 * bounds), so "good" is never over-counted. A run's /metrics has a bucket at each of its plan's SLO thresholds
 * (`durationBucketsSeconds(planLatencyBoundsMs(plan))`), which makes the match exact.
 * Integer bounds match both spellings: Prometheus 2 keeps `le="1"`, Prometheus 3 normalises it to `le="1.0"`.
 */
export function goodBucket(thresholdMs: number, buckets: readonly number[] = DURATION_BUCKETS_SECONDS): { readonly le: string; readonly boundMs: number } {
  const seconds = secondsOf(thresholdMs);
  const bounds = buckets.filter((b) => b <= seconds + 1e-12);
  const bound = bounds.length > 0 ? (bounds[bounds.length - 1] as number) : (buckets[0] as number);
  const text = String(bound);
  return { le: Number.isInteger(bound) ? `${text}|${text}.0` : text, boundMs: Math.round(bound * 1000) };
}

/** A Prometheus range-vector duration from milliseconds: 3600000 → `1h`, 90000 → `90s`. */
export function promDuration(ms: number): string {
  const units: readonly [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.max(1, Math.round(ms))}ms`;
}
