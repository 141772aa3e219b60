/** @module collectors/store: self time — a span's duration minus the union of its children's intervals. */
import { describe, expect, it } from 'vitest';
import { SelfTimeTracker, selfTimesOf } from './self-time.js';

const span = (spanId: string, parentSpanId: string, start: number, end: number) => ({ spanId, parentSpanId, start, end });

describe('selfTimesOf', () => {
  it('subtracts sequential children from their parent', () => {
    expect(selfTimesOf([span('r', '', 0, 100), span('a', 'r', 10, 30), span('b', 'r', 40, 90)])).toEqual([30, 20, 50]);
  });

  it('counts overlapping children once (their union, not their sum)', () => {
    // a [10, 60) and b [40, 80) overlap on [40, 60): together they cover [10, 80) = 70 ms of the root's 100.
    expect(selfTimesOf([span('r', '', 0, 100), span('a', 'r', 10, 60), span('b', 'r', 40, 80)])).toEqual([30, 50, 40]);
  });

  it('counts a child nested inside another concurrent child once', () => {
    expect(selfTimesOf([span('r', '', 0, 100), span('a', 'r', 0, 90), span('b', 'r', 20, 30)])[0]).toBe(10);
  });

  it('clips children that outlive their parent (async work) to the parent', () => {
    expect(selfTimesOf([span('r', '', 0, 50), span('a', 'r', 30, 200)])).toEqual([30, 170]);
  });

  it('does not subtract grandchildren from the root, only direct children', () => {
    expect(selfTimesOf([span('r', '', 0, 100), span('a', 'r', 0, 60), span('g', 'a', 10, 50)])).toEqual([40, 20, 40]);
  });

  it('treats a span whose parent is missing as a root and never goes negative', () => {
    expect(selfTimesOf([span('x', 'gone', 5, 5), span('y', 'x', 5, 9)])).toEqual([0, 4]);
  });
});

describe('SelfTimeTracker', () => {
  /** Self time per key computed the plain way: every trace whole, with selfTimesOf. */
  const reference = (traces: Map<string, { spanId: string; parentSpanId: string; key: string; start: number; end: number }[]>): Map<string, number> => {
    const out = new Map<string, number>();
    for (const spans of traces.values()) {
      const self = selfTimesOf(spans);
      spans.forEach((s, i) => out.set(s.key, (out.get(s.key) ?? 0) + (self[i] as number)));
    }
    return out;
  };

  it('totals every key as selfTimesOf over whole traces does, with settled traces and reused slots', () => {
    const tracker = new SelfTimeTracker(7); // small, so most traces are settled and their slots reused
    const traces = new Map<string, { spanId: string; parentSpanId: string; key: string; start: number; end: number }[]>();
    let seed = 42;
    const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let t = 0; t < 300; t++) {
      const traceId = t.toString(16).padStart(32, '0');
      const spans: { spanId: string; parentSpanId: string; key: string; start: number; end: number }[] = [];
      const count = 1 + rand(9);
      for (let i = 0; i < count; i++) {
        // Mostly 16-hex ids; some non-hex ids and upper case ones, which must stay distinct from their lower-case twin.
        const id = i % 5 === 4 ? `span-${t}-${i}` : i % 7 === 6 ? `${t}`.padStart(8, '0') + 'ABCDEF0' + String(i) : `${t}`.padStart(8, '0') + `${i}`.padStart(8, '0');
        const parent = i === 0 ? '' : (spans[rand(i)] as { spanId: string }).spanId;
        const start = 1_700_000_000_000 + rand(1000) + rand(1000) / 8;
        spans.push({ spanId: id, parentSpanId: parent, key: `phase-${rand(3)}\u0000svc-${rand(4)}`, start, end: start + rand(400) });
      }
      traces.set(traceId, spans);
      for (const s of spans) tracker.add(traceId, s.spanId, s.parentSpanId, s.key, s.start, s.end);
    }
    const got = tracker.totals();
    const want = reference(traces);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, ms] of want) expect(got.get(key)).toBeCloseTo(ms, 6);
  });

  it('keeps upper- and lower-case ids apart, as string comparison does', () => {
    const tracker = new SelfTimeTracker();
    tracker.add('t', 'ABCDEF0123456789', '', 'root', 0, 100);
    tracker.add('t', 'abcdef0123456789', '', 'other', 0, 10);
    tracker.add('t', '0000000000000001', 'abcdef0123456789', 'child', 2, 8);
    expect(Object.fromEntries(tracker.totals())).toEqual({ root: 100, other: 4, child: 6 });
  });
});
