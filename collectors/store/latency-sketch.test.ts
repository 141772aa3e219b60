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

describe('LatencySketch.pack', () => {
  it('packs a fresh sparse sketch (buckets noted as it records) into the string the library writes for the same values', () => {
    const rand = ((s: number) => () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32))(3);
    for (let n = 0; n < 50; n++) {
      const fresh = new LatencySketch();
      const twin = new LatencySketch();
      // The last few hold more than 1,024 distinct buckets: past that a sketch stops noting them (the library's way).
      const values = Array.from({ length: n < 45 ? 1 + n * 7 : 3000 }, () => rand() ** 4 * 30_000);
      for (const ms of values) (fresh.add(ms), twin.add(ms));
      // A merge (of nothing) leaves the values as they are but makes pack() read every bucket, as the library does.
      twin.merge(new LatencySketch());
      expect(fresh.pack(), `sketch ${n}`).toEqual(twin.pack());
      expect(LatencySketch.unpack(fresh.pack()).summary()).toEqual(fresh.summary());
    }
  });
});
