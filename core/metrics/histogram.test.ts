import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { addBuckets, addEncoded, encodeHistogram, newHistogram, newSparseHistogram, nonZeroBuckets, valuesAtPercentiles, type Histogram } from './histogram.js';

/** What a histogram answers: every non-zero bucket, the count, the extremes and a few percentiles. */
const view = (h: Histogram): unknown => ({
  buckets: (({ indexes, counts }) => ({ indexes: [...indexes], counts: [...counts] }))(nonZeroBuckets(h)),
  total: h.totalCount, min: h.minNonZeroValue, max: h.maxValue,
  p: [0, 50, 90, 99, 99.9, 100].map((q) => h.getValueAtPercentile(q)),
});

/** Records value by value, the reference `addBuckets` must match (the library resizes and tracks min/max itself). */
function addValueByValue(into: Histogram, from: Histogram): void {
  const { indexes, counts } = nonZeroBuckets(from);
  const js = from as unknown as { valueFromIndex(i: number): number };
  indexes.forEach((index, i) => into.recordValueWithCount(js.valueFromIndex(index), counts[i] as number));
}

function randomHistogram(seed: number, values: number, maxUs: number): Histogram {
  let x = seed;
  const rand = (): number => (x = (x * 16807) % 2147483647) / 2147483647;
  const h = hdr.build({ bitBucketSize: 32, autoResize: true, highestTrackableValue: 2, numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < values; i++) h.recordValue(Math.max(1, Math.round(rand() ** 3 * maxUs)));
  return h;
}

describe('addBuckets', () => {
  it('adds the same counts, total, minimum and maximum as recording each bucket, into small, grown, dense and packed histograms', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const from = randomHistogram(seed, 1 + (seed * 37) % 500, seed % 3 === 0 ? 60_000_000 : 400_000);
      // Into an empty histogram, one already holding larger values, and one holding only small ones (it must grow).
      const holding = [randomHistogram(seed + 100, 50, 90_000_000), randomHistogram(seed + 200, 20, 50), undefined];
      for (const sparse of [false, true]) {
        for (const before of holding) {
          const fast = sparse ? newSparseHistogram() : newHistogram();
          const slow = sparse ? newSparseHistogram() : newHistogram();
          if (before) {
            addValueByValue(fast, before);
            addValueByValue(slow, before);
          }
          addBuckets(fast, nonZeroBuckets(from));
          addValueByValue(slow, from);
          expect(view(fast), `seed ${seed}, sparse ${sparse}`).toEqual(view(slow));
        }
      }
    }
  });

  it('adds an encoded histogram as the histogram itself adds (buckets, count, percentiles), and nothing for an empty one', () => {
    const from = randomHistogram(7, 300, 5_000_000);
    const viaEncoding = newHistogram();
    addEncoded(viaEncoding, encodeHistogram(from));
    const direct = newHistogram();
    direct.add(from);
    // Buckets carry no exact extremes: min and max are their buckets' lowest values (as before this fast path).
    const { min: _a, max: _b, ...decoded } = view(viaEncoding) as Record<string, unknown>;
    const { min: _c, max: _d, ...added } = view(direct) as Record<string, unknown>;
    expect(decoded).toEqual(added);
    const untouched = randomHistogram(8, 10, 1000);
    const copy = view(untouched);
    addBuckets(untouched, { indexes: new Uint32Array(0), counts: new Float64Array(0) });
    expect(view(untouched)).toEqual(copy);
  });
});

describe('valuesAtPercentiles', () => {
  it('answers what getValueAtPercentile answers for each percentile, in dense and packed histograms, small and large', () => {
    const percentiles = [0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100, 120];
    for (const [seed, values, maxUs] of [[1, 1, 10], [2, 3, 5_000], [3, 1_000, 1_000_000], [4, 20_000, 60_000_000], [5, 7, 1]] as const) {
      const dense = randomHistogram(seed, values, maxUs);
      const packed = newSparseHistogram();
      packed.add(dense);
      for (const h of [dense, packed]) expect(valuesAtPercentiles(h, percentiles)).toEqual(percentiles.map((p) => h.getValueAtPercentile(p)));
    }
    expect(valuesAtPercentiles(newSparseHistogram(), [50, 99])).toEqual([0, 0]);
  });
});

describe('encodeHistogram', () => {
  it('encodes equal contents to equal strings whatever the histogram held before (fresh, recycled, merged)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const maxUs = [900, 40_000, 3_000_000][seed % 3] as number;
      const fresh = randomHistogram(seed, 1 + (seed % 50), maxUs);
      // The library's own encoding of a fresh histogram is the reference.
      expect(encodeHistogram(fresh)).toBe(hdr.encodeIntoCompressedBase64(fresh));
      const recycled = newHistogram();
      recycled.recordValue(60_000_000);
      recycled.reset();
      recycled.add(fresh);
      const merged = newHistogram();
      merged.add(randomHistogram(seed + 1000, 3, 10_000_000));
      merged.reset();
      merged.add(fresh);
      expect(encodeHistogram(recycled)).toBe(encodeHistogram(fresh));
      expect(encodeHistogram(merged)).toBe(encodeHistogram(fresh));
      // The histogram itself is left as it was.
      expect(recycled.highestTrackableValue).toBeGreaterThanOrEqual(60_000_000);
    }
  });
});
