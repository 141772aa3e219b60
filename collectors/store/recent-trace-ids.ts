/**
 * @module collectors/store: the most recent trace ids in two generations of TraceIdSet — bounded memory whatever the
 * run's length (a set of every id of an hour at 300 requests/s holds ~1 M ids, 40–75 MB as it doubles).
 */
import { TraceIdSet } from './trace-id-set.js';

/**
 * Trace ids with a tag each, in a current and a previous generation. When the current one holds `perGeneration`
 * ids it becomes the previous one, and the previous one is handed to `onRetire` (which must not keep it: its table is
 * cleared and becomes the next generation). An id stays
 * findable for at least `perGeneration` later distinct ids.
 */
export class RecentTraceIds {
  private current: TraceIdSet;
  private previous = new TraceIdSet(16);
  /** Distinct ids added (an id seen again after it was retired counts again). */
  added = 0;

  constructor(
    private readonly perGeneration: number,
    private readonly onRetire: (retired: TraceIdSet) => void = () => undefined,
  ) {
    this.current = TraceIdSet.sizedFor(perGeneration);
  }

  /** Adds a 32-hex id (an id already held keeps its first tag). False for malformed or all-zero ids. */
  add(traceId: string, tag = 0): boolean {
    if (this.previous.size > 0 && this.previous.has(traceId)) return true;
    const before = this.current.size;
    if (!this.current.add(traceId, tag)) return false;
    if (this.current.size === before) return true;
    this.added++;
    if (this.current.size >= this.perGeneration) this.rotate();
    return true;
  }

  has(traceId: string): boolean {
    return this.current.has(traceId) || this.previous.has(traceId);
  }

  /** The tag the id was added with, or undefined when it is not held (never added, or retired). */
  tagOf(traceId: string): number | undefined {
    return this.current.tagOf(traceId) ?? (this.previous.size > 0 ? this.previous.tagOf(traceId) : undefined);
  }

  /** Calls `fn` with every id still held and its tag. */
  forEach(fn: (traceId: string, tag: number) => void): void {
    this.previous.forEach(fn);
    this.current.forEach(fn);
  }

  private rotate(): void {
    const retired = this.previous;
    this.previous = this.current;
    if (retired.size > 0) this.onRetire(retired);
    // From the second rotation on, the retired table (full size) is the next generation: no allocation, flat memory.
    if (retired.slotCount >= this.previous.slotCount) {
      retired.clear();
      this.current = retired;
    } else {
      this.current = TraceIdSet.sizedFor(this.perGeneration);
    }
  }
}

