/**
 * @module collectors/store: self (exclusive) time — a span's duration minus the part covered by its children — so a
 * report can say which service added the latency.
 */

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
