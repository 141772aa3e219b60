/** @module core/metrics: HDR histograms in integer microseconds (3 significant digits), pooled and encodable. */
import * as hdr from 'hdr-histogram-js';
import { inflateSync } from 'node:zlib';

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

/**
 * Compressed base64 (HdrHistogram V2 compressed encoding, interoperable with Java/Go readers). The header's highest
 * trackable value is the one a fresh histogram holding these values has, so equal contents encode to equal strings:
 * a recycled histogram keeps the range of the slowest value it ever held, a merged one the range of its merges.
 */
export function encodeHistogram(h: Histogram): string {
  const fields = h as unknown as Sizing;
  const held = fields.highestTrackableValue;
  fields.highestTrackableValue = freshHighestTrackable(fields, h.maxValue);
  try {
    return hdr.encodeIntoCompressedBase64(h);
  } finally {
    fields.highestTrackableValue = held;
  }
}

/** The hdr-histogram-js JsHistogram sizing a fresh auto-resizing histogram goes through (its `resize`). */
interface Sizing {
  highestTrackableValue: number;
  getBucketsNeededToCoverValue(value: number): number;
  getLengthForNumberOfBuckets(buckets: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}

/** What `newHistogram()` reports as highest trackable after recording values up to `max`: 2 until one resize is needed. */
function freshHighestTrackable(h: Sizing, max: number): number {
  const buckets = h.getBucketsNeededToCoverValue(max);
  if (buckets <= h.getBucketsNeededToCoverValue(2)) return 2;
  return h.highestEquivalentValue(h.valueFromIndex(h.getLengthForNumberOfBuckets(buckets) - 1));
}

/** Decodes `encodeHistogram` output into a histogram that can still record and merge. */
export function decodeHistogram(base64: string): Histogram {
  const h = hdr.decodeFromCompressedBase64(base64, 32, false);
  h.autoResize = true;
  return h;
}

/** A histogram's non-zero buckets: counts-array index and count, ascending by index. */
export interface BucketCounts {
  readonly indexes: Uint32Array;
  readonly counts: Float64Array;
}

/** HdrHistogram V2 cookies, compressed and not (the 0x10 bit, ZigZag LEB128 words, is left out: readers mask it). */
export const V2_COMPRESSED_COOKIE = 0x1c849304;
export const V2_COOKIE = 0x1c849303;
/** Decoded buckets kept for reuse, by their encoding (live evaluations merge the same old seconds again and again). */
const decoded = new Map<string, BucketCounts>();
let decodedBytes = 0;
/** The decode cache's bound: past it the oldest entries go (a long run's seconds are re-read far less often). */
const DECODED_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Adds an `encodeHistogram` string's values to `into`, bucket by bucket: the same counts as
 * `into.add(decodeHistogram(base64))`, without building a full-size histogram per merge. Encodings this store
 * did not write (other precision or unit) take the general path.
 */
export function addEncoded(into: Histogram, base64: string): void {
  const b = bucketsOf(base64);
  if (b === undefined) {
    into.add(decodeHistogram(base64));
    return;
  }
  addBuckets(into, b);
}

/**
 * Adds buckets read from a histogram of the same precision and unit (`nonZeroBuckets`, `addEncoded`). A bucket's index
 * means the same value range in both (only the counts array's length differs), so the counts go straight to their
 * indexes, as the library's own `add` does for histograms of one shape; the highest bucket goes through
 * `recordValueWithCount`, which grows the counts array when needed and sets the maximum.
 */
export function addBuckets(into: Histogram, b: BucketCounts): void {
  const { indexes, counts } = b;
  const last = indexes.length - 1;
  if (last < 0) return;
  const js = into as unknown as CountsAccess;
  into.recordValueWithCount(js.valueFromIndex(indexes[last] as number), counts[last] as number);
  let added = 0;
  for (let i = 0; i < last; i++) {
    js.addToCountAtIndex(indexes[i] as number, counts[i] as number);
    added += counts[i] as number;
  }
  js.addToTotalCount(added);
  js.updateMinAndMax(js.valueFromIndex(indexes[0] as number));
}

/**
 * Takes buckets back out of a histogram that holds them (a range answered as a series' total less the seconds outside
 * it). Counts and the total count are exact; the histogram's recorded min and max are not narrowed, so its owner keeps
 * the range's exact min and max beside it (as every trend cell does) and reads only counts from it.
 */
export function subtractBuckets(from: Histogram, b: BucketCounts): void {
  const js = from as unknown as CountsAccess;
  let removed = 0;
  for (let i = 0; i < b.indexes.length; i++) {
    js.addToCountAtIndex(b.indexes[i] as number, -(b.counts[i] as number));
    removed += b.counts[i] as number;
  }
  js.addToTotalCount(-removed);
}

/** The non-zero buckets of an encoded histogram (decoded once, kept in the bounded cache `addEncoded` uses). */
export function encodedBuckets(base64: string): BucketCounts {
  return bucketsOf(base64) ?? nonZeroBuckets(decodeHistogram(base64));
}

/** The hdr-histogram-js JsHistogram internals `addBuckets` writes through (its `add` uses the same). */
interface CountsAccess extends Pick<Buckets, 'valueFromIndex'> {
  addToCountAtIndex(i: number, count: number): void;
  addToTotalCount(count: number): void;
  updateMinAndMax(value: number): void;
}

/** The non-zero buckets of a histogram: a copy that merges in time proportional to the values it holds. */
export function nonZeroBuckets(h: Histogram): BucketCounts {
  const b = h as unknown as Buckets;
  const indexes: number[] = [];
  const counts: number[] = [];
  let seen = 0;
  for (let index = 0; index < b.countsArrayLength && seen < h.totalCount; index++) {
    const n = b.getCountAtIndex(index);
    if (n === 0) continue;
    indexes.push(index);
    counts.push(n);
    seen += n;
  }
  return { indexes: Uint32Array.from(indexes), counts: Float64Array.from(counts) };
}

function bucketsOf(base64: string): BucketCounts | undefined {
  const hit = decoded.get(base64);
  if (hit !== undefined) return hit;
  const b = decodeBuckets(base64);
  if (b === undefined) return undefined;
  decoded.set(base64, b);
  decodedBytes += base64.length + b.indexes.byteLength + b.counts.byteLength + 64;
  for (const [key, old] of decoded) {
    if (decodedBytes <= DECODED_MAX_BYTES) break;
    decoded.delete(key);
    decodedBytes -= key.length + old.indexes.byteLength + old.counts.byteLength + 64;
  }
  return b;
}

/** Reads the V2 compressed encoding (HdrHistogram's format: ZigZag LEB128 counts, negative = a run of zeros). */
function decodeBuckets(base64: string): BucketCounts | undefined {
  const outer = Buffer.from(base64, 'base64');
  if (outer.length < 8 || (outer.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE) return undefined;
  const data = inflateSync(outer.subarray(8, 8 + outer.readInt32BE(4)));
  if (data.length < 40 || (data.readInt32BE(0) & ~0xf0) !== V2_COOKIE) return undefined;
  // Header: cookie, payload length, normalizing offset, significant digits, lowest discernible value, highest, ratio.
  if (data.readInt32BE(12) !== 3 || Number(data.readBigInt64BE(16)) !== 1) return undefined;
  const end = Math.min(data.length, 40 + data.readInt32BE(4));
  const indexes: number[] = [];
  const counts: number[] = [];
  let pos = 40;
  let index = 0;
  while (pos < end) {
    let raw = 0;
    let scale = 1;
    for (let n = 0; n < 9; n++) {
      const byte = data[pos++] as number;
      raw += (n === 8 ? byte : byte & 0x7f) * scale;
      if (n === 8 || (byte & 0x80) === 0) break;
      scale *= 128;
    }
    const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    if (value < 0) index -= value;
    else {
      if (value > 0) {
        indexes.push(index);
        counts.push(value);
      }
      index++;
    }
  }
  return { indexes: Uint32Array.from(indexes), counts: Float64Array.from(counts) };
}

/** Percentile in ms, matching k6's `p(N)` (N in 0–100). Returns 0 for an empty histogram. */
export function percentileMs(h: Histogram, pct: number): number {
  if (h.totalCount === 0) return 0;
  return h.getValueAtPercentile(pct) / 1000;
}

/**
 * `h.getValueAtPercentile(p)` (µs) for each of `ascending` percentiles, in one walk over the buckets: the library's walk
 * starts from the first bucket for every percentile, and a sparse (packed) histogram reads each bucket through a
 * multi-level index. Same rounding as the library (its count at a percentile, and its `ulp`).
 */
export function valuesAtPercentiles(h: Histogram, ascending: readonly number[]): number[] {
  const b = h as unknown as Buckets & Equivalents;
  const total = h.totalCount;
  const out = ascending.map(() => 0);
  const targets = ascending.map((p) => {
    const fp = (Math.min(p, 100) / 100) * total;
    return Math.max(Math.ceil(fp - 2 ** (Math.floor(Math.log2(fp)) - 52)), 1);
  });
  let i = 0;
  let seen = 0;
  for (let index = 0; index < b.countsArrayLength && i < targets.length; index++) {
    const n = b.getCountAtIndex(index);
    if (n === 0) continue;
    seen += n;
    for (; i < targets.length && seen >= (targets[i] as number); i++) {
      const value = b.valueFromIndex(index);
      out[i] = ascending[i] === 0 ? b.lowestEquivalentValue(value) : b.highestEquivalentValue(value);
    }
  }
  return out;
}

interface Equivalents {
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
}

/** The histogram internals a bucket walk reads (hdr-histogram-js JsHistogram). */
interface Buckets {
  readonly countsArrayLength: number;
  getCountAtIndex(i: number): number;
  /** The lowest value of bucket `i`, in µs. */
  valueFromIndex(i: number): number;
}

/**
 * `countAtOrBelowMs` at each of `ascendingMs` in one pass over the buckets (for histogram buckets). A bucket counts
 * when its lowest equivalent value is ≤ the limit, as in `countAtOrBelowMs`.
 */
export function countsAtOrBelowMs(h: Histogram, ascendingMs: readonly number[]): number[] {
  const out = new Array<number>(ascendingMs.length).fill(0);
  const total = h.totalCount;
  if (total === 0 || ascendingMs.length === 0) return out;
  const limits = ascendingMs.map(toMicros);
  const b = h as unknown as Buckets;
  let i = 0;
  let count = 0;
  // Walks the counts array directly (the library's value iterator costs several calls per bucket).
  for (let index = 0; index < b.countsArrayLength && count < total; index++) {
    const n = b.getCountAtIndex(index);
    if (n === 0) continue;
    const low = b.valueFromIndex(index);
    while (i < limits.length && low > (limits[i] as number)) out[i++] = count;
    if (i === limits.length) return out;
    count += n;
  }
  while (i < limits.length) out[i++] = count;
  return out;
}

/**
 * How many recorded values are ≤ `ms`, at the histogram's precision (±0.1 %): a bucket counts when its lowest
 * equivalent value is ≤ the limit, so a value recorded exactly at the limit counts. Latency SLIs build on this.
 */
export function countAtOrBelowMs(h: Histogram, ms: number): number {
  return countsAtOrBelowMs(h, [ms])[0] as number;
}
