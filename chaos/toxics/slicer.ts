/**
 * @module chaos/toxics: Toxiproxy `slicer`: cuts each chunk into pieces of about average_size ± size_variation
 * bytes, sleeping `delay` µs between pieces.
 */
import { randomInt, type Random } from '../rng.js';
import { defineToxic, intField } from './toxic.js';

/** Cut points [s0, e0, s1, e1, …] splitting [start, end) in halves recursively, as Toxiproxy's `chunk`. */
export function sliceOffsets(start: number, end: number, average: number, variation: number, random: Random): number[] {
  // Toxiproxy recurses forever on average_size <= 0 and can go out of range when variation > average/2;
  // here both are clamped so any attribute values are safe.
  const v = Math.max(0, Math.min(variation, Math.floor(average / 2)));
  if (average <= 0 || end - start - average <= v) return [start, end];
  const offset = v > 0 ? randomInt(random, 2 * v) - v : 0;
  const mid = Math.min(end - 1, Math.max(start + 1, start + Math.floor((end - start) / 2) + offset));
  return [...sliceOffsets(start, mid, average, v, random), ...sliceOffsets(mid, end, average, v, random)];
}

export const slicer = defineToxic({
  type: 'slicer',
  // The plan asks for at least 1 byte per piece (default 1); the API keeps Toxiproxy's 0.
  fields: [intField('average_size', 'int', { kind: 'int', min: 1, default: 1 }), intField('size_variation', 'int'), intField('delay', 'int')],
  rule: { check: (a) => a.size_variation < a.average_size, key: 'size_variation', message: 'size_variation must be smaller than average_size' },
  bufferSize: 0,
  async pipe(a, stub) {
    for (;;) {
      const chunk = await stub.read();
      if (chunk === undefined) return;
      if (chunk === null) return stub.close();
      const cuts = sliceOffsets(0, chunk.data.length, a.average_size, a.size_variation, stub.random);
      for (let i = 1; i < cuts.length; i += 2) {
        await stub.write({ data: chunk.data.subarray(cuts[i - 1], cuts[i]), at: chunk.at });
        if (i + 1 < cuts.length && !(await stub.sleep(a.delay / 1000))) {
          await stub.write({ data: chunk.data.subarray(cuts[i]), at: chunk.at });
          return;
        }
      }
    }
  },
});
