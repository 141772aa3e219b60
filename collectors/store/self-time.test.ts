/** @module collectors/store: self time — a span's duration minus the union of its children's intervals. */
import { describe, expect, it } from 'vitest';
import { selfTimesOf } from './self-time.js';

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
