/**
 * @module collectors/store: self (exclusive) time per phase × service — a span's duration minus the part
 * covered by its children — so a report can say which service added the latency.
 */
import { SkeletonPool, type Chain } from './skeleton-pool.js';

/**
 * Keeps skeletons of recent traces (typed arrays, see skeleton-pool.ts); when more than `maxPendingTraces` are
 * pending, the oldest trace is settled (its self times added to the totals). A span arriving after its trace was
 * settled is then treated as a root of its own, so its parent keeps the overlapped time (documented limitation).
 */
export class SelfTimeTracker {
  private readonly pool = new SkeletonPool();
  private readonly pending = new Map<string, Chain>();
  private readonly settled = new Map<string, number>();
  /** Result keys (phase + service: a handful) by index. */
  private readonly keyIndex = new Map<string, number>();
  private readonly keyNames: string[] = [];

  constructor(private readonly maxPendingTraces = 50_000) {}

  /** `key` groups the result (the store uses phase + service). */
  add(traceId: string, spanId: string, parentSpanId: string, key: string, start: number, end: number): void {
    let k = this.keyIndex.get(key);
    if (k === undefined) {
      k = this.keyNames.push(key) - 1;
      this.keyIndex.set(key, k);
    }
    const chain = this.pending.get(traceId);
    if (!chain && this.pending.size >= this.maxPendingTraces) this.settleOldest();
    const grown = this.pool.append(chain, spanId, parentSpanId, k, start, Math.max(start, end));
    if (!chain) this.pending.set(traceId, grown);
  }

  /** Self time in ms per key, over settled and pending traces. */
  totals(): Map<string, number> {
    const out = new Map(this.settled);
    for (const chain of this.pending.values()) this.addTrace(chain, out);
    return out;
  }

  private settleOldest(): void {
    const first = this.pending.entries().next().value;
    if (!first) return;
    this.pending.delete(first[0]);
    this.addTrace(first[1], this.settled);
    this.pool.release(first[1]);
  }

  private addTrace(chain: Chain, into: Map<string, number>): void {
    const spans = this.pool.read(chain);
    const self = selfTimesOf(spans);
    spans.forEach((s, i) => {
      const key = this.keyNames[s.key] as string;
      into.set(key, (into.get(key) ?? 0) + (self[i] ?? 0));
    });
  }
}

/** A span's identity and interval (any one time unit). */
export interface TimedSpan {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Self time of each span of one trace, in the order given: duration minus the union of its children's
 * intervals (children clipped to the parent; concurrent children counted once). Never negative.
 */
export function selfTimesOf(spans: readonly TimedSpan[]): number[] {
  const children = new Map<string, TimedSpan[]>();
  for (const s of spans) {
    if (s.parentSpanId === '') continue;
    const list = children.get(s.parentSpanId);
    if (list) list.push(s);
    else children.set(s.parentSpanId, [s]);
  }
  return spans.map((s) => Math.max(0, s.end - s.start - coveredBy(children.get(s.spanId), s.start, s.end)));
}

/** Length of the union of the children's intervals, clipped to [start, end] (concurrent children overlap). */
function coveredBy(children: readonly TimedSpan[] | undefined, start: number, end: number): number {
  if (!children || children.length === 0) return 0;
  const iv = children
    .map((c) => [Math.max(start, c.start), Math.min(end, c.end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of iv) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) curEnd = b;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}
