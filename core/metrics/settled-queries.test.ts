/** @module core/metrics: live queries over settled seconds answer exactly what the store answers. */
import { describe, expect, it } from 'vitest';
import { createSettledQueries, MetricStore } from './index.js';
import type { Aggregate, MetricQuery } from './types.js';

const view = (a: Aggregate) => ({ samples: a.samples, count: a.count, passes: a.passes, min: a.min, max: a.max, p50: a.percentile(50), p95: a.percentile(95), p99: a.percentile(99), le: a.countAtOrBelow(40) });

function recordSecond(store: MetricStore, s: number): void {
  for (let i = 0; i < 50; i++) {
    const tags = { scenario: i % 2 ? 'a' : 'b', status: i % 7 ? '200' : '503' };
    store.add('http_req_duration', tags, s * 1000 + i * 19, 5 + ((s * 31 + i * 17) % 97) * (i % 7 ? 1 : 20));
    store.add('http_req_failed', tags, s * 1000 + i * 19, i % 7 ? 0 : 1);
  }
}

describe('settled queries', { timeout: 60_000 }, () => {
  it('answers growing, closed and tag-filtered windows as the store does, second after second', () => {
    const store = new MetricStore();
    const live = createSettledQueries(store);
    for (let s = 0; s < 40; s++) {
      recordSecond(store, s);
      live.refresh();
      const now = s * 1000 + 999;
      for (const q of <MetricQuery[]>[
        { metric: 'http_req_duration', fromMs: 0, toMs: now },
        { metric: 'http_req_duration', fromMs: 10_000, toMs: now, tags: { scenario: 'a' } },
        { metric: 'http_req_duration', fromMs: 5_000, toMs: 15_000, tags: { status: '503' } },
        { metric: 'http_req_failed', fromMs: 0, toMs: now, tags: { scenario: 'b' } },
      ]) {
        expect(view(live.query(q)), `${s}: ${JSON.stringify(q)}`).toEqual(view(store.query(q)));
      }
    }
    expect(live.settledSecond()).toBeGreaterThan(30);
  });

  it('forgets what a write into an old second changed', () => {
    const store = new MetricStore();
    const live = createSettledQueries(store);
    for (let s = 0; s < 20; s++) recordSecond(store, s);
    live.refresh();
    const q = { metric: 'http_req_duration', fromMs: 0, toMs: 19_999 };
    const before = view(live.query(q));
    const closed = { metric: 'http_req_duration', fromMs: 2_000, toMs: 6_000 };
    live.query(closed);
    store.add('http_req_duration', { scenario: 'a', status: '200' }, 3_500, 9_999);
    live.refresh();
    expect(live.changedFrom()).toBe(3);
    expect(view(live.query(q))).toEqual(view(store.query(q)));
    expect(view(live.query(q)).samples).toBe(before.samples + 1);
    expect(view(live.query(closed))).toEqual(view(store.query(closed)));
  });
});
