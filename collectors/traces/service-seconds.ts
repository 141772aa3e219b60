/**
 * @module collectors/traces: server span latency per service per second of the run, in a few hundred bytes
 * per second × service (fixed log buckets, ±4 %), so an hour-long run stays small.
 */

/** One second of one service's SERVER spans (placed by start time). */
export interface ServiceSecond {
  readonly service: string;
  /** Run offset of the second (ms). */
  readonly startMs: number;
  readonly count: number;
  readonly p95Ms: number;
}

const GROWTH = 1.08;
const MIN_MS = 0.01;
const BUCKETS = 220; // 0.01 ms × 1.08^220 ≈ 2.2 h: longer spans land in the last bucket
const LOG_GROWTH = Math.log(GROWTH);

const bucketOf = (ms: number): number => (ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH)));
/** The geometric middle of a bucket: the error is at most half a bucket (±4 %). */
const valueOf = (bucket: number): number => (bucket === 0 ? MIN_MS : MIN_MS * GROWTH ** (bucket - 0.5));

export class ServiceSeconds {
  private readonly cells = new Map<string, { service: string; second: number; count: number; max: number; buckets: Uint32Array }>();

  /** `maxServices` bounds the memory on a stack that names a service per instance; later ones are ignored. */
  constructor(private readonly maxServices = 50) {}

  private readonly services = new Set<string>();

  add(service: string, offsetMs: number, durationMs: number): void {
    if (offsetMs < 0) return;
    if (!this.services.has(service)) {
      if (this.services.size >= this.maxServices) return;
      this.services.add(service);
    }
    const second = Math.floor(offsetMs / 1000);
    const key = `${service}\u0000${second}`;
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { service, second, count: 0, max: 0, buckets: new Uint32Array(BUCKETS) }));
    cell.count++;
    cell.max = Math.max(cell.max, durationMs);
    cell.buckets[bucketOf(durationMs)] = (cell.buckets[bucketOf(durationMs)] ?? 0) + 1;
  }

  rows(): ServiceSecond[] {
    return [...this.cells.values()]
      .sort((a, b) => a.service.localeCompare(b.service) || a.second - b.second)
      .map((c) => ({ service: c.service, startMs: c.second * 1000, count: c.count, p95Ms: Math.min(c.max, quantile(c.buckets, c.count, 0.95)) }));
  }
}

function quantile(buckets: Uint32Array, count: number, q: number): number {
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= rank) return valueOf(i);
  }
  return valueOf(buckets.length - 1);
}
