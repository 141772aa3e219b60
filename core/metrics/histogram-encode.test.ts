/** @module core/metrics: the encoding from non-zero buckets is byte for byte the library's, for both layouts. */
import { describe, expect, it } from 'vitest';
import { encodeFromBuckets } from './histogram-encode.js';
import { decodeHistogram, encodeHistogram, newDenseHistogram, newSparseHistogram, type Histogram } from './histogram.js';

interface Internals {
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
}

/** The distinct buckets `values` fall in, ascending. */
function bucketsOf(h: Histogram, values: readonly number[]): number[] {
  const i = h as unknown as Internals;
  return [...new Set(values.map((v) => i.countsArrayIndex(v)))].sort((a, b) => a - b);
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('encodeFromBuckets', () => {
  it('writes what encodeIntoCompressedBase64 writes: 300 random histograms, sparse and dense, 1 µs to 10 minutes', () => {
    const rand = seeded(7);
    for (let n = 0; n < 300; n++) {
      const h = n % 2 === 0 ? newSparseHistogram() : newDenseHistogram();
      const spread = [10, 1_000, 1_000_000, 600_000_000][n % 4] as number;
      const values = Array.from({ length: 1 + Math.floor(rand() * 400) }, () => 1 + Math.floor(rand() ** 3 * spread));
      // Large counts too: LEB128 words of several bytes.
      for (const v of values) h.recordValueWithCount(v, rand() < 0.05 ? 1 + Math.floor(rand() * 5_000_000) : 1);
      expect(encodeFromBuckets(h, bucketsOf(h, values)), `histogram ${n}`).toBe(encodeHistogram(h));
    }
  });

  it('round-trips through the library decoder: same counts, bucket by bucket', () => {
    const h = newSparseHistogram();
    const values = [1, 2, 3, 2047, 2048, 2049, 99_999, 100_000, 5_000_000, 5_000_001];
    for (const v of values) h.recordValue(v);
    const back = decodeHistogram(encodeFromBuckets(h, bucketsOf(h, values))) as unknown as Internals & Histogram;
    expect(back.totalCount).toBe(values.length);
    for (const v of values) expect(back.getCountAtIndex(back.countsArrayIndex(v))).toBe((h as unknown as Internals).getCountAtIndex((h as unknown as Internals).countsArrayIndex(v)));
    const library = decodeHistogram(encodeHistogram(h));
    expect([back.minNonZeroValue, back.maxValue, back.totalCount]).toEqual([library.minNonZeroValue, library.maxValue, library.totalCount]);
  });
});
