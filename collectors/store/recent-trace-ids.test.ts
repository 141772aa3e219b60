import { describe, expect, it } from 'vitest';
import { RecentTraceIds } from './recent-trace-ids.js';
import type { TraceIdSet } from './trace-id-set.js';

const idOf = (i: number): string => `${(i + 1).toString(16).padStart(8, '0')}${'ab'.repeat(8)}${(i * 7).toString(16).padStart(8, '0')}`;

describe('RecentTraceIds', () => {
  it('holds the latest one to two generations of ids, hands each retired generation over once, and keeps first tags', () => {
    const retired: Map<string, number>[] = [];
    const ids = new RecentTraceIds(100, (set: TraceIdSet) => {
      const m = new Map<string, number>();
      set.forEach((id, tag) => m.set(id, tag));
      retired.push(m);
    });
    for (let i = 0; i < 350; i++) expect(ids.add(idOf(i), i % 5)).toBe(true);
    expect(ids.add(idOf(349), 4)).toBe(true); // held already: neither counted again nor re-tagged
    expect(ids.add('0'.repeat(32))).toBe(false);
    expect(ids.add('not-a-trace-id')).toBe(false);
    expect(ids.added).toBe(350);
    // Generations [0,100) and [100,200) retired when the third and fourth filled; [200,300) and [300,350) held.
    expect(retired.map((m) => m.size)).toEqual([100, 100]);
    expect([...(retired[0] as Map<string, number>).keys()].sort()).toEqual(Array.from({ length: 100 }, (_, i) => idOf(i)).sort());
    expect(ids.has(idOf(199))).toBe(false);
    expect(ids.has(idOf(200))).toBe(true);
    expect(ids.has(idOf(349))).toBe(true);
    const held = new Map<string, number>();
    ids.forEach((id, tag) => held.set(id, tag));
    expect(held.size).toBe(150);
    expect(held.get(idOf(349))).toBe(349 % 5);
    expect([ids.tagOf(idOf(249)), ids.tagOf(idOf(301)), ids.tagOf(idOf(199)), ids.tagOf('not-a-trace-id')]).toEqual([249 % 5, 301 % 5, undefined, undefined]);
    // An id of the previous generation added again stays where it is (no double count).
    expect(ids.add(idOf(250), 0)).toBe(true);
    expect(ids.added).toBe(350);
  });

  it('reuses a retired generation\'s table: ten generations later only two tables exist, and no retired id is found', () => {
    const tables = new Set<TraceIdSet>();
    const retiredSizes: number[] = [];
    const ids = new RecentTraceIds(1000, (set) => {
      tables.add(set);
      retiredSizes.push(set.size);
    });
    for (let i = 0; i < 11_500; i++) ids.add(idOf(i), i % 7);
    expect(retiredSizes).toEqual(Array.from({ length: 10 }, () => 1000));
    expect(tables.size).toBe(2);
    for (const t of tables) expect(t.slotCount).toBe(2048);
    // Held: the previous generation [10000, 11000) and the current one [11000, 11500); every earlier id was cleared with its table.
    for (const i of [0, 999, 5000, 9999]) expect(ids.has(idOf(i))).toBe(false);
    for (const i of [10_000, 11_000, 11_499]) expect(ids.tagOf(idOf(i))).toBe(i % 7);
    let held = 0;
    ids.forEach(() => held++);
    expect(held).toBe(1500);
  });
});
