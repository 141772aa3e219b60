/** @module chaos/toxics: slicer on the wire: pieces of about average_size ± size_variation, in order. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../rng.js';
import { connectTo, readAll, sourceServer } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { sliceOffsets, slicer } from './slicer.js';

runToxicConformance(slicer, { attributes: { average_size: 16, size_variation: 4, delay: 0 }, preservesData: true });

describe('slicer', { timeout: 30_000 }, () => {
  it('cuts a chunk into contiguous pieces no larger than average + variation', () => {
    const cuts = sliceOffsets(0, 10_000, 100, 20, seededRandom(5));
    for (let i = 1; i < cuts.length; i += 2) expect((cuts[i] as number) - (cuts[i - 1] as number)).toBeLessThanOrEqual(120);
    for (let i = 2; i < cuts.length; i += 2) expect(cuts[i]).toBe(cuts[i - 1]);
    expect(cuts[0]).toBe(0);
    expect(cuts.at(-1)).toBe(10_000);
  });

  it('never recurses forever or goes out of range on values that crash Toxiproxy', () => {
    expect(sliceOffsets(0, 50, 0, 0, seededRandom(1))).toEqual([0, 50]);
    const cuts = sliceOffsets(0, 1000, 10, 500, seededRandom(1));
    expect(cuts.at(-1)).toBe(1000);
  });

  it('delivers the slices as separate reads on the wire, bytes in order', async () => {
    const source = await sourceServer(6_000);
    const fx = await proxyFixture(source.address);
    try {
      // 10 ms between pieces (delay is in µs) so a reader delayed by a busy CPU still sees most of them apart.
      await fx.addToxic({ type: 'slicer', attributes: { average_size: 100, size_variation: 20, delay: 10_000 } });
      const { data, chunks } = await readAll(await connectTo(fx.port));
      expect(data.length).toBe(6_000);
      for (let i = 0; i < data.length; i++) if (data[i] !== i % 251) throw new Error(`byte ${i} out of order`);
      // TCP may merge pieces when the reader is late (a busy CPU): require most reads to be single pieces.
      // Without the slicer the 6 KB arrive in one or two reads.
      const small = chunks.filter((n) => n <= 120).length;
      expect(small / chunks.length).toBeGreaterThanOrEqual(0.6);
      expect(chunks.length).toBeGreaterThanOrEqual(25);
    } finally {
      await fx.close();
      await source.close();
    }
  });
});
