/**
 * @module collectors/store: a mergeable latency histogram with 1 % relative accuracy (log-spaced buckets,
 * the DDSketch idea), exact count/sum/min/max. Small and sparse, so one per phase × service × span is cheap.
 */

const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) go to the zero bucket. */
const MIN_VALUE = 1e-6;

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

export class LatencySketch {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private zeros = 0;
  private readonly buckets = new Map<number, number>();

  /** Records one value in milliseconds (negative values count as 0). */
  add(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v <= MIN_VALUE) this.zeros++;
    else {
      const i = Math.ceil(Math.log(v) / LOG_GAMMA);
      this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1);
    }
  }

  merge(other: LatencySketch): void {
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.zeros += other.zeros;
    for (const [i, c] of other.buckets) this.buckets.set(i, (this.buckets.get(i) ?? 0) + c);
  }

  /** The q-quantile (0..1) in ms within 1 % relative error, clamped to [min, max]; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = q * (this.count - 1);
    let seen = this.zeros;
    if (rank < seen) return this.min;
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const i of keys) {
      seen += this.buckets.get(i) as number;
      if (rank < seen) return clamp((2 * GAMMA ** i) / (GAMMA + 1), this.min, this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    return {
      count: this.count,
      sumMs: this.sum,
      minMs: empty ? 0 : this.min,
      maxMs: empty ? 0 : this.max,
      avgMs: empty ? 0 : this.sum / this.count,
      p50Ms: empty ? 0 : this.quantile(0.5),
      p90Ms: empty ? 0 : this.quantile(0.9),
      p95Ms: empty ? 0 : this.quantile(0.95),
      p99Ms: empty ? 0 : this.quantile(0.99),
    };
  }
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
