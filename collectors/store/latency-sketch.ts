/**
 * @module collectors/store: a mergeable latency summary on core's HDR histogram (µs, 3 significant digits, so
 * quantiles within 0.1 % above 1 µs), with exact count/sum/min/max. Sparse, so one per phase × service × span is cheap.
 */
import { decodeHistogram, encodeFromBuckets, encodeHistogram, newDenseHistogram, newSparseHistogram, toMicros, valuesAtPercentiles, type Histogram } from '../../core/metrics/index.js';

/** A serialisable view of a sketch's state. */
export interface LatencySummary {
  readonly count: number;
  readonly sumMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly avgMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** A sketch packed for keeping many of them (a few hundred bytes each): the HDR counts in compressed base64. */
export interface PackedSketch {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly histogram: string;
}

export class LatencySketch {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private readonly histogram: Histogram;
  /**
   * The buckets a fresh sparse sketch has recorded into, so `pack` reads only those (the span seconds pack ~30 per
   * second, and reading every bucket of a sparse histogram took ~3 ms each); undefined after a merge or unpack.
   */
  private buckets: number[] | undefined;

  /**
   * `dense`: a flat 32-bit histogram, ~5× faster to record into but ~36 KB each — for the few hot series of the
   * live registry. The default is sparse (~4 KB), for the many per phase × service × span summaries.
   */
  constructor(options: { readonly dense?: boolean } = {}, histogram?: Histogram) {
    this.histogram = histogram ?? (options.dense ? newDenseHistogram() : newSparseHistogram());
    if (histogram === undefined && !options.dense) this.buckets = [];
  }

  /** The state in a compact form (HdrHistogram V2 compressed); `unpack` gives back an equal sketch. */
  pack(): PackedSketch {
    const buckets = this.buckets;
    const histogram = buckets !== undefined && buckets.length > 0 ? encodeFromBuckets(this.histogram, buckets.sort((a, b) => a - b)) : encodeHistogram(this.histogram);
    return { count: this.count, sum: this.sum, min: this.min, max: this.max, histogram };
  }

  static unpack(p: PackedSketch): LatencySketch {
    const s = new LatencySketch({}, decodeHistogram(p.histogram));
    s.count = p.count;
    s.sum = p.sum;
    s.min = p.min;
    s.max = p.max;
    return s;
  }

  /** Records one value in milliseconds (negative values count as 0). */
  add(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    const us = toMicros(v);
    this.histogram.recordValue(us);
    if (this.buckets !== undefined) {
      const h = this.histogram as unknown as BucketAccess;
      const index = h.countsArrayIndex(us);
      // Counts only grow: a bucket holding 1 right after this value was empty before it.
      if (h.getCountAtIndex(index) === 1) this.buckets.push(index);
      // A long-lived summary (a phase's) would keep a list longer than its histogram: it packs the slow way.
      if (this.buckets.length > MAX_NOTED_BUCKETS) this.buckets = undefined;
    }
  }

  merge(other: LatencySketch): void {
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.histogram.add(other.histogram);
    this.buckets = undefined;
  }

  /** The q-quantile (0..1) in ms at the histogram's precision, clamped to the exact [min, max]; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    return this.quantiles([q * 100])[0] as number;
  }

  /** HDR values at ascending percentiles in one walk over the buckets, in ms, clamped to the exact [min, max]. */
  private quantiles(percentiles: readonly number[]): number[] {
    return valuesAtPercentiles(this.histogram, percentiles).map((us) => clamp(us / 1000, this.min, this.max));
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    // One walk over the (sparse) buckets for all four, where each quantile would walk them from the start.
    const [p50, p90, p95, p99] = empty ? [0, 0, 0, 0] : this.quantiles(SUMMARY_PERCENTILES);
    return {
      count: this.count,
      sumMs: this.sum,
      minMs: empty ? 0 : this.min,
      maxMs: empty ? 0 : this.max,
      avgMs: empty ? 0 : this.sum / this.count,
      p50Ms: p50 as number,
      p90Ms: p90 as number,
      p95Ms: p95 as number,
      p99Ms: p99 as number,
    };
  }
}

const SUMMARY_PERCENTILES = [50, 90, 95, 99];

/** Buckets a sketch notes at most (a second of one span name holds a few hundred). */
const MAX_NOTED_BUCKETS = 1024;

/** The hdr-histogram-js JsHistogram internals `add` reads to note a bucket. */
interface BucketAccess {
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
