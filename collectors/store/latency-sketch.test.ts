/** @module collectors/store: the latency sketch on core's HDR histograms: exact count/sum/min/max, merge, both layouts agree. */
import { describe, expect, it } from 'vitest';
import { LatencySketch } from './latency-sketch.js';

const values = Array.from({ length: 5000 }, (_, i) => 0.2 + ((i * 7919) % 5000) * 0.61);

describe('LatencySketch', () => {
  it('keeps count, sum, min and max exact and answers the same quantiles dense or sparse', () => {
    const sparse = new LatencySketch();
    const dense = new LatencySketch({ dense: true });
    for (const v of values) (sparse.add(v), dense.add(v));
    expect(sparse.summary()).toEqual(dense.summary());
    expect(sparse.count).toBe(values.length);
    expect(sparse.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0), 6);
    expect([sparse.quantile(0), sparse.quantile(1)]).toEqual([Math.min(...values), Math.max(...values)]);
  });

  it('merging two halves gives the summary of the whole', () => {
    const whole = new LatencySketch();
    const a = new LatencySketch();
    const b = new LatencySketch();
    values.forEach((v, i) => (whole.add(v), (i % 2 ? a : b).add(v)));
    a.merge(b);
    expect(a.summary().p99Ms).toBe(whole.summary().p99Ms);
    expect(a.summary().p50Ms).toBe(whole.summary().p50Ms);
    expect(a.count).toBe(whole.count);
  });

  it('is NaN-free when empty and counts negative values as 0', () => {
    const s = new LatencySketch();
    expect(s.summary()).toMatchObject({ count: 0, p50Ms: 0, p99Ms: 0, minMs: 0, maxMs: 0 });
    s.add(-3);
    expect(s.summary()).toMatchObject({ count: 1, minMs: 0, maxMs: 0, p50Ms: 0 });
  });
});
