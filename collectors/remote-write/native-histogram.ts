/**
 * @module collectors/remote-write: a trend's recorded values as a Prometheus native histogram (exponential buckets).
 * k6 observes into a client_golang histogram with `NativeHistogramBucketFactor: 1.1`, which picks schema 3
 * (factor 2^(1/8) ≈ 1.09); the zero bucket keeps client_golang's default threshold 2^-128.
 */
import type { SeriesSnapshot } from '../../core/metrics/index.js';
import type { NativeHistogram } from './prompb.js';

const NATIVE_SCHEMA = 3;
const ZERO_THRESHOLD = 2 ** -128;

/**
 * Bucket index of `v` (> 0) at `schema`: bucket i holds (2^((i-1)/2^schema), 2^(i/2^schema)], upper bound
 * inclusive, as Prometheus' `histogram.go` places observations.
 */
export function bucketIndex(v: number, schema = NATIVE_SCHEMA): number {
  const scale = 2 ** schema;
  let i = Math.ceil(Math.log2(v) * scale);
  // log2 rounding: keep v inside (lower, upper] exactly.
  if (2 ** (i / scale) < v) i++;
  else if (2 ** ((i - 1) / scale) >= v) i--;
  return i;
}

/** Cumulative native histogram of a trend snapshot; `toUnit` converts ms (e.g. to seconds). */
export function nativeHistogramOf(snapshot: SeriesSnapshot, toUnit: (ms: number) => number, timestampMs: number): NativeHistogram {
  const counts = new Map<number, number>();
  let zeroCount = 0;
  let total = 0;
  snapshot.forEachValue((ms, count) => {
    total += count;
    const v = toUnit(ms);
    if (v <= ZERO_THRESHOLD) zeroCount += count;
    else {
      const i = bucketIndex(v);
      counts.set(i, (counts.get(i) ?? 0) + count);
    }
  });
  const indexes = [...counts.keys()].sort((a, b) => a - b);
  const positiveSpans: { offset: number; length: number }[] = [];
  const positiveDeltas: number[] = [];
  let previousIndex = 0;
  let previousCount = 0;
  for (const [n, i] of indexes.entries()) {
    const count = counts.get(i) as number;
    const last = positiveSpans[positiveSpans.length - 1];
    // Spans are runs of adjacent buckets: the first span's offset is its start index, later offsets are the gap.
    if (last !== undefined && i === previousIndex + 1) last.length++;
    else positiveSpans.push({ offset: n === 0 ? i : i - previousIndex - 1, length: 1 });
    positiveDeltas.push(count - previousCount);
    previousIndex = i;
    previousCount = count;
  }
  // count is the sum of the buckets (what Prometheus checks), the same as the trend's sample count.
  return { count: total, sum: toUnit(snapshot.aggregate.sum), schema: NATIVE_SCHEMA, zeroThreshold: ZERO_THRESHOLD, zeroCount, positiveSpans, positiveDeltas, timestampMs };
}
