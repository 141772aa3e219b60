/** @module core/metrics: HDR histograms in integer microseconds (3 significant digits), pooled and encodable. */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

const pool: Histogram[] = [];
const POOL_MAX = 256;

/** A fresh (or recycled) histogram: auto-resizing, 3 significant digits, values in µs. */
export function newHistogram(): Histogram {
  const recycled = pool.pop();
  if (recycled) return recycled;
  return hdr.build({ bitBucketSize: 32, autoResize: true, highestTrackableValue: 2, numberOfSignificantValueDigits: 3 });
}

/** A fresh, unpooled 32-bit histogram: the fastest to record into, for long-lived hot series. */
export function newDenseHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 32, autoResize: true, highestTrackableValue: 2, numberOfSignificantValueDigits: 3 });
}

/**
 * A sparse histogram (packed counts, same µs unit and 3 significant digits) for the many small ones a run keeps
 * per phase × service × span: a few hundred bytes while it holds few distinct values. Not pooled.
 */
export function newSparseHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 'packed', autoResize: true, highestTrackableValue: 2, numberOfSignificantValueDigits: 3 });
}

/** Gives a histogram back to the pool once nothing refers to it. */
export function releaseHistogram(h: Histogram): void {
  h.reset();
  if (pool.length < POOL_MAX) pool.push(h);
}

/** Milliseconds → the integer µs a histogram records (at least 1 so a 0 ms sample still counts). */
export function toMicros(ms: number): number {
  const us = Math.round(ms * 1000);
  return us < 1 ? 1 : us;
}

/** Compressed base64 (HdrHistogram V2 compressed encoding, interoperable with Java/Go readers). */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Decodes `encodeHistogram` output into a histogram that can still record and merge. */
export function decodeHistogram(base64: string): Histogram {
  const h = hdr.decodeFromCompressedBase64(base64, 32, false);
  h.autoResize = true;
  return h;
}

/** Percentile in ms, matching k6's `p(N)` (N in 0–100). Returns 0 for an empty histogram. */
export function percentileMs(h: Histogram, pct: number): number {
  if (h.totalCount === 0) return 0;
  return h.getValueAtPercentile(pct) / 1000;
}

interface RecordedValues {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

/** `countAtOrBelowMs` at each of `ascendingMs` in one pass over the recorded values (for histogram buckets). */
export function countsAtOrBelowMs(h: Histogram, ascendingMs: readonly number[]): number[] {
  const out = new Array<number>(ascendingMs.length).fill(0);
  if (h.totalCount === 0 || ascendingMs.length === 0) return out;
  const limits = ascendingMs.map(toMicros);
  const js = h as unknown as { recordedValuesIterator: RecordedValues; lowestEquivalentValue(v: number): number };
  const values = js.recordedValuesIterator;
  values.reset();
  let i = 0;
  let count = 0;
  while (values.hasNext()) {
    const v = values.next();
    const low = js.lowestEquivalentValue(v.valueIteratedTo);
    while (i < limits.length && low > (limits[i] as number)) out[i++] = count;
    if (i === limits.length) return out;
    count += v.countAtValueIteratedTo;
  }
  while (i < limits.length) out[i++] = count;
  return out;
}

/**
 * How many recorded values are ≤ `ms`, at the histogram's precision (±0.1 %): a bucket counts when its lowest
 * equivalent value is ≤ the limit, so a value recorded exactly at the limit counts. Latency SLIs build on this.
 */
export function countAtOrBelowMs(h: Histogram, ms: number): number {
  if (h.totalCount === 0) return 0;
  const limit = toMicros(ms);
  const js = h as unknown as { recordedValuesIterator: RecordedValues; lowestEquivalentValue(v: number): number };
  const values = js.recordedValuesIterator;
  values.reset();
  let count = 0;
  while (values.hasNext()) {
    const v = values.next();
    if (js.lowestEquivalentValue(v.valueIteratedTo) > limit) break;
    count += v.countAtValueIteratedTo;
  }
  return count;
}
