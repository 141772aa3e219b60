/** @module collectors/traces: waterfall rows in tree order, self time, the critical path, and the span cap. */
import { describe, expect, it } from 'vitest';
import { buildWaterfall, type TraceSpanInput } from './trace-tree.js';

const T0 = 1_700_000_000_000;
const s = (spanId: string, parentSpanId: string, start: number, durationMs: number, name = spanId, service = 'api'): TraceSpanInput =>
  ({ spanId, parentSpanId, service, name, kind: 1, startEpochMs: T0 + start, durationMs, isError: false });

describe('buildWaterfall', () => {
  it('orders spans depth first by start, with depth, offsets and self time', () => {
    const w = buildWaterfall('t', [s('b', 'r', 50, 40), s('r', '', 0, 100), s('a', 'r', 10, 30), s('a1', 'a', 12, 10)]);
    expect(w.spans.map((x) => [x.spanId, x.depth, x.offsetMs, x.selfMs])).toEqual([['r', 0, 0, 30], ['a', 1, 10, 20], ['a1', 2, 12, 10], ['b', 1, 50, 40]]);
    expect(w.durationMs).toBe(100);
    expect(w.omitted).toBe(0);
  });

  it('puts on the critical path the child that ended last, then the one that ended before it started', () => {
    // db [5, 25) runs beside cache [5, 8); ehr [30, 90) starts after db: the path is r → ehr → db; cache is off it.
    const w = buildWaterfall('t', [s('r', '', 0, 100), s('db', 'r', 5, 20), s('cache', 'r', 5, 3), s('ehr', 'r', 30, 60), s('mllp', 'ehr', 31, 58)]);
    const critical = w.spans.filter((x) => x.critical).map((x) => x.spanId);
    expect(critical).toEqual(['r', 'db', 'ehr', 'mllp']);
  });

  it('of two concurrent children, only the one that ends last is on the path', () => {
    const w = buildWaterfall('t', [s('r', '', 0, 100), s('fast', 'r', 10, 20), s('slow', 'r', 10, 80)]);
    expect(w.spans.filter((x) => x.critical).map((x) => x.spanId)).toEqual(['r', 'slow']);
  });

  it('keeps the critical path first when the trace has more spans than the cap', () => {
    const many = Array.from({ length: 50 }, (_, i) => s(`c${i}`, 'r', 0, 1)); // concurrent: one of them is on the path
    const w = buildWaterfall('t', [s('r', '', 0, 1000), ...many, s('last', 'r', 900, 99)], 5);
    expect(w.spans).toHaveLength(5);
    expect(w.omitted).toBe(47);
    expect(w.spans.filter((x) => x.critical).map((x) => x.spanId)).toEqual(['r', 'c0', 'last']);
  });

  it('survives a span naming itself as parent', () => {
    const w = buildWaterfall('t', [s('x', 'x', 0, 10)]);
    expect(w.spans.map((x) => [x.spanId, x.depth, x.critical])).toEqual([['x', 0, true]]);
  });
});
