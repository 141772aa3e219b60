import { describe, expect, it } from 'vitest';
import { MetricStore } from './store.js';
import type { Aggregate, MetricQuery } from './types.js';

/** A deterministic stream of values (ms) spread over `seconds`, two series, with gaps of empty seconds. */
function fill(store: MetricStore, seconds: number, seed: number): void {
  const a = store.series('http_req_duration', { scenario: 'a', status: '200' });
  const b = store.series('http_req_duration', { scenario: 'b', status: '500' });
  const failed = store.series('http_req_failed', { scenario: 'a' });
  let x = seed;
  for (let ms = 0; ms < seconds * 1000; ms += 37) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    // Seconds 300–419 stay empty: a block with no values.
    if (ms >= 300_000 && ms < 420_000) continue;
    const v = 0.5 + (x % 400_000) / 100;
    (x % 3 === 0 ? b : a).add(ms, v);
    failed.add(ms, x % 5 === 0 ? 1 : 0);
  }
}

/** Everything a report reads of an aggregate. */
const shape = (g: Aggregate): unknown => ({
  count: g.count, samples: g.samples, sum: Number(g.sum.toPrecision(12)), min: g.min, max: g.max, passes: g.passes,
  p: [0, 1, 50, 90, 95, 99, 99.9, 100].map((p) => g.percentile(p)), atOrBelow: [1, 10, 100, 1000, 3000].map((ms) => g.countAtOrBelow(ms)),
});

describe('range queries of an ended run (merged minutes)', () => {
  it('answer what the same store answers second by second, for every kind of range', { timeout: 60_000 }, () => {
    const live = new MetricStore();
    const ended = new MetricStore();
    fill(live, 1000, 7);
    fill(ended, 1000, 7);
    ended.markEnd(1_000_000);
    const ranges: [number, number | undefined][] = [
      [0, undefined], [0, 1_000_000], [60_000, 600_000], [59_999, 600_001], [1_500, 998_500], [250_000, 480_000],
      [300_000, 420_000], [61_000, 179_000], [120_000, 240_000], [990_000, 2_000_000], [0, 119_000], [5_000, 6_000],
    ];
    for (let i = 0; i < 20; i++) ranges.push([i * 41_333, i * 41_333 + 123_457 * ((i % 5) + 1)]);
    for (const [fromMs, toMs] of ranges) {
      for (const q of [{ metric: 'http_req_duration' }, { metric: 'http_req_duration', tags: { scenario: 'a' } }, { metric: 'http_req_failed' }] as MetricQuery[]) {
        const asked = { ...q, fromMs, ...(toMs === undefined ? {} : { toMs }) };
        // Twice: the second answer comes from the kept blocks.
        for (let round = 0; round < 2; round++) expect(shape(ended.query(asked)), JSON.stringify(asked)).toEqual(shape(live.query(asked)));
      }
    }
  });

  it('answers a range holding most of the run from the run total less the seconds outside it, and a write after the end counts', () => {
    const { store, before, query } = endedThenQueried(13, { fromMs: 2_000, toMs: 598_000 });
    // Below the range's maximum, so only the histogram (not the exact max) can count it.
    store.series('http_req_duration', { scenario: 'b', status: '500' }).add(300_500, 2_500);
    store.series('http_req_duration', { scenario: 'a', status: '200' }).add(599_500, 2_500);
    const after = query();
    expect(after.count).toBe(before.count + 1);
    expect(after.countAtOrBelow(3_000)).toBe(before.countAtOrBelow(3_000) + 1);
    expect(after.countAtOrBelow(2_000)).toBe(before.countAtOrBelow(2_000));
  });

  it('drops a merged minute when one of its seconds is written again', () => {
    // Four minutes of ten: merged minutes, not the run total less the rest.
    const { store, before, query } = endedThenQueried(11, { fromMs: 60_000, toMs: 300_000 });
    store.series('http_req_duration', { scenario: 'a', status: '200' }).add(125_500, 9_999);
    const after = query();
    expect(after.count).toBe(before.count + 1);
    expect(after.max).toBe(9_999);
    expect(after.countAtOrBelow(9_000)).toBe(before.count);
  });
});

/** A 600 s run, ended, and its answer for `range` before anything else is written. */
function endedThenQueried(seed: number, range: { fromMs: number; toMs: number }): { store: MetricStore; before: Aggregate; query: () => Aggregate } {
  const store = new MetricStore();
  fill(store, 600, seed);
  store.markEnd(600_000);
  const query = (): Aggregate => store.query({ metric: 'http_req_duration', ...range });
  return { store, before: query(), query };
}
