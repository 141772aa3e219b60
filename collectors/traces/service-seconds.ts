/**
 * @module collectors/traces: server span latency per service per second of the run, in a few hundred bytes
 * per second × service (fixed log buckets, ±4 %), so an hour-long run stays small. With a spill, settled seconds
 * go to the run folder and only their count and p95 stay in memory (12 bytes each).
 */
import type { SecondsSpill } from '../../core/metrics/index.js';

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

interface Cell {
  readonly service: string;
  readonly second: number;
  count: number;
  max: number;
  readonly buckets: Uint32Array;
}

/** A settled cell in the spill: the non-zero buckets as [index, count] pairs. */
interface SpilledServiceSecond {
  readonly k: 'server';
  readonly service: string;
  readonly second: number;
  readonly count: number;
  readonly max: number;
  readonly b: readonly (readonly [number, number])[];
}

/** Count and p95 per second of one service's settled seconds (index = second; count 0 = no settled cell). */
class Settled {
  count = new Uint32Array(64);
  p95 = new Float64Array(64);

  set(second: number, count: number, p95Ms: number): void {
    if (second >= this.count.length) {
      let n = this.count.length;
      while (n <= second) n *= 2;
      const count2 = new Uint32Array(n);
      count2.set(this.count);
      const p95 = new Float64Array(n);
      p95.set(this.p95);
      this.count = count2;
      this.p95 = p95;
    }
    this.count[second] = count;
    this.p95[second] = p95Ms;
  }

  has(second: number): boolean {
    return second < this.count.length && (this.count[second] ?? 0) > 0;
  }
}

export class ServiceSeconds {
  private readonly cells = new Map<string, Cell>();
  private readonly settled = new Map<string, Settled>();

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

  /**
   * Moves every cell before `second` to the spill, keeping its count and p95. A cell of a second settled before
   * (late spans) is merged with what the spill holds of it, so the figures stay those of every span.
   */
  settleBefore(second: number, spill: SecondsSpill): void {
    const moving = [...this.cells.values()].filter((c) => c.second < second);
    if (moving.length === 0) return;
    for (const c of moving) {
      this.cells.delete(`${c.service}\u0000${c.second}`);
      const b: [number, number][] = [];
      c.buckets.forEach((n, i) => void (n > 0 && b.push([i, n])));
      spill.append({ k: 'server', service: c.service, second: c.second, count: c.count, max: c.max, b } satisfies SpilledServiceSecond);
    }
    const again = moving.filter((c) => this.settledOf(c.service).has(c.second));
    const merged = again.length === 0 ? new Map<string, Cell>() : this.fromSpill(spill, new Set(again.map((c) => `${c.service}\u0000${c.second}`)));
    for (const c of moving) {
      const whole = merged.get(`${c.service}\u0000${c.second}`) ?? c;
      this.settledOf(c.service).set(c.second, whole.count, p95Of(whole));
    }
  }

  /** Every second's row, by service then second. With a spill, open cells of settled seconds are merged with it. */
  rows(spill?: SecondsSpill): ServiceSecond[] {
    const out: ServiceSecond[] = [];
    const open = [...this.cells.values()];
    const late = open.filter((c) => this.settled.get(c.service)?.has(c.second));
    const merged = late.length === 0 || !spill ? new Map<string, Cell>() : this.fromSpill(spill, new Set(late.map((c) => `${c.service}\u0000${c.second}`)), open);
    for (const c of open) {
      const whole = merged.get(`${c.service}\u0000${c.second}`);
      out.push({ service: c.service, startMs: c.second * 1000, count: (whole ?? c).count, p95Ms: p95Of(whole ?? c) });
    }
    for (const [service, s] of this.settled) {
      s.count.forEach((count, second) => {
        if (count > 0 && !merged.has(`${service}\u0000${second}`) && !this.cells.has(`${service}\u0000${second}`)) {
          out.push({ service, startMs: second * 1000, count, p95Ms: s.p95[second] as number });
        }
      });
    }
    return out.sort((a, b) => a.service.localeCompare(b.service) || a.startMs - b.startMs);
  }

  private settledOf(service: string): Settled {
    let s = this.settled.get(service);
    if (!s) this.settled.set(service, (s = new Settled()));
    return s;
  }

  /** The whole cells of `keys` (service \0 second): every spilled part, plus `open` ones. */
  private fromSpill(spill: SecondsSpill, keys: ReadonlySet<string>, open: readonly Cell[] = []): Map<string, Cell> {
    const out = new Map<string, Cell>();
    const into = (service: string, second: number, count: number, max: number, each: (f: (i: number, n: number) => void) => void): void => {
      const key = `${service}\u0000${second}`;
      let cell = out.get(key);
      if (!cell) out.set(key, (cell = { service, second, count: 0, max: 0, buckets: new Uint32Array(BUCKETS) }));
      const target = cell;
      target.count += count;
      target.max = Math.max(target.max, max);
      each((i, n) => void (target.buckets[i] = (target.buckets[i] ?? 0) + n));
    };
    spill.forEach<{ k: string } & Partial<SpilledServiceSecond>>((r) => {
      if (r.k !== 'server') return;
      const s = r as SpilledServiceSecond;
      if (keys.has(`${s.service}\u0000${s.second}`)) into(s.service, s.second, s.count, s.max, (f) => s.b.forEach(([i, n]) => f(i, n)));
    });
    for (const c of open) if (keys.has(`${c.service}\u0000${c.second}`)) into(c.service, c.second, c.count, c.max, (f) => c.buckets.forEach((n, i) => f(i, n)));
    return out;
  }
}

const p95Of = (c: Cell): number => Math.min(c.max, quantile(c.buckets, c.count, 0.95));

function quantile(buckets: Uint32Array, count: number, q: number): number {
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= rank) return valueOf(i);
  }
  return valueOf(buckets.length - 1);
}
