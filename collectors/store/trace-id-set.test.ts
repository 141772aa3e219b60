import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '../../core/random.js';
import { hashWords, TraceIdSet } from './trace-id-set.js';

const hex = (n: number, width = 8): string => n.toString(16).padStart(width, '0');
const wordsOf = (id: string): Uint32Array => Uint32Array.from([0, 1, 2, 3].map((k) => Number.parseInt(id.slice(k * 8, k * 8 + 8), 16)));

describe('TraceIdSet', () => {
  it('keeps ids with their first tag, refuses malformed and all-zero ids, and lists every id back', () => {
    const set = new TraceIdSet(4);
    const ids = Array.from({ length: 500 }, (_, i) => `${hex(i * 7919)}${hex(i)}${hex(0xdead)}${hex(i * 31)}`);
    for (const [i, id] of ids.entries()) expect(set.add(id, i % 3)).toBe(true);
    expect(set.add(ids[0] as string, 2)).toBe(true);
    expect(set.add('0'.repeat(32))).toBe(false);
    expect(set.add('not-a-trace-id')).toBe(false);
    expect(set.size).toBe(500);
    expect(ids.every((id) => set.has(id))).toBe(true);
    expect(set.has(`${hex(1)}${'0'.repeat(24)}`)).toBe(false);
    const seen = new Map<string, number>();
    set.forEach((id, tag) => seen.set(id, tag));
    expect(seen.size).toBe(500);
    expect(seen.get(ids[0] as string)).toBe(0);
    expect(seen.get(ids[4] as string)).toBe(1);
  });

  it('deletes ids in any order and still finds every other id, even one displaced past the deleted slot', () => {
    const set = new TraceIdSet(16);
    const random = seededRandom(7);
    const ids = Array.from({ length: 3000 }, (_, i) => `${hex(i + 1)}${hex(randomInt(random, 2 ** 32))}${hex(i * 13)}${hex(0xbeef)}`);
    for (const [i, id] of ids.entries()) set.add(id, i % 5);
    const order = [...ids].sort(() => random() - 0.5);
    const gone = new Set(order.slice(0, 1800));
    for (const id of gone) expect(set.delete(id)).toBe(true);
    expect(set.delete(order[0] as string)).toBe(false);
    expect(set.size).toBe(1200);
    for (const [i, id] of ids.entries()) {
      expect(set.has(id)).toBe(!gone.has(id));
      if (!gone.has(id)) expect(set.tagOf(id)).toBe(i % 5);
    }
    const listed: string[] = [];
    set.forEach((id) => listed.push(id));
    expect(listed.sort()).toEqual(ids.filter((id) => !gone.has(id)).sort());
    for (const id of gone) set.add(id);
    expect(set.size).toBe(3000);
    expect(ids.every((id) => set.has(id))).toBe(true);
  });

  it('spreads ids that share their leading words (counter ids, X-Ray-style epoch prefixes) over the slots', () => {
    const mask = (1 << 14) - 1;
    const counter = Array.from({ length: 4096 }, (_, i) => `${'0'.repeat(24)}${hex(i + 1)}`);
    const epoch = Array.from({ length: 4096 }, (_, i) => `${hex(0x674c2a10)}${hex(0)}${hex(i)}${hex(i * 2654435761)}`);
    for (const ids of [counter, epoch]) {
      const homes = new Set(ids.map((id) => hashWords(wordsOf(id)) & mask));
      // Uniform hashing of 4096 ids into 16384 slots leaves ~3,600 distinct homes; one shared word gave 1.
      expect(homes.size).toBeGreaterThan(3000);
    }
  });
});
