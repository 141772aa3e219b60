import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsLines, MetricRecorder, MetricStore, type Aggregate, type MetricQuery } from './index.js';
import type { RequestSample } from '../sample.js';
import type { Millis } from '../units.js';
import { METRIC_SECONDS_FILE } from './store-spill.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** What a query answers, as plain data (percentiles at a few ranks). */
const view = (a: Aggregate): Record<string, number> => ({
  samples: a.samples, count: a.count, rate: a.rate, passes: a.passes, sum: a.sum, min: a.min, max: a.max, value: a.value,
  p50: a.percentile(50), p95: a.percentile(95), p99: a.percentile(99), le100: a.countAtOrBelow(100),
});

/** A run of `seconds`: a trend, a counter, a rate and a gauge per second, plus a backdated trend written up to 120 s late. */
function feed(store: MetricStore, seconds: number, cellsInMemory: number[]): void {
  store.declare('late_trend', 'trend', { backdated: true });
  let x = 0x1234567;
  const rand = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  for (let s = 0; s < seconds; s++) {
    for (let n = 0; n < 20; n++) {
      const at = s * 1000 + n * 50;
      const v = 1 + rand() * (s % 50 < 10 ? 900 : 60);
      store.add('http_req_duration', { scenario: n % 2 ? 'a' : 'b', status: '200' }, at, v);
      store.add('http_reqs', { scenario: n % 2 ? 'a' : 'b' }, at, 1);
      store.add('http_req_failed', { scenario: 'a' }, at, rand() < 0.1 ? 1 : 0);
      if (n % 5 === 0) store.add('vus', {}, at, Math.round(rand() * 50));
      // Written when a slow request ends: into a second long spilled (a new part), or one still in memory.
      if (n === 3 && s > 130) store.add('late_trend', { scenario: 'a' }, (s - (s % 3 === 0 ? 125 : 30)) * 1000 + 7, v);
    }
    cellsInMemory.push([...store.allSeries()].reduce((sum, series) => sum + series.cells.size, 0));
  }
  store.markEnd(seconds * 1000);
}

const queries: MetricQuery[] = [
  { metric: 'http_req_duration' },
  { metric: 'http_req_duration', tags: { scenario: 'a' }, fromMs: 0, toMs: 60_000 },
  { metric: 'http_req_duration', fromMs: 45_500, toMs: 250_000 },
  { metric: 'http_reqs', fromMs: 100_000, toMs: 200_000 },
  { metric: 'http_req_failed', tags: { scenario: 'a' }, fromMs: 10_000 },
  { metric: 'vus', fromMs: 0, toMs: 150_000 },
  { metric: 'late_trend', fromMs: 0, toMs: 300_000 },
];

describe('MetricStore spill', () => {
  it('keeps a flat number of cells in memory while the run goes, and answers every query as the in-memory store does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-metric-spill-'));
    dirs.push(dir);
    const file = join(dir, 'samples', METRIC_SECONDS_FILE);
    const inMemory = new MetricStore();
    const spilled = new MetricStore();
    spilled.spillTo(join(dir, 'samples'), { batchRecords: 100 });
    const memoryCells: number[] = [];
    const spilledCells: number[] = [];
    feed(inMemory, 300, memoryCells);
    feed(spilled, 300, spilledCells);
    expect(memoryCells[299]).toBeGreaterThan(1500);
    // Past the spill horizon (90 s), cells in memory stop growing with the run.
    expect(spilledCells[299]).toBeLessThanOrEqual((spilledCells[230] as number) + 10);
    expect(spilledCells[299]).toBeLessThan((memoryCells[299] as number) / 2);
    expect(statSync(file).size).toBeGreaterThan(0);
    // Whole-run totals come from memory (no read-back).
    expect(view(spilled.query({ metric: 'http_req_duration' }))).toEqual(view(inMemory.query({ metric: 'http_req_duration' })));
    for (const q of queries) expect(view(spilled.query(q)), JSON.stringify(q)).toEqual(view(inMemory.query(q)));
    const timeline = (s: MetricStore): unknown => Array.from(s.timeline({ metric: 'http_req_duration', tags: { scenario: 'b' } }), (t) => [t.second, view(t.aggregate)]);
    expect(timeline(spilled)).toEqual(timeline(inMemory));
    expect([...metricsLines(spilled)]).toEqual([...metricsLines(inMemory)]);
    expect(() => statSync(file)).toThrow(); // read back: the file is gone
  }, 60_000);

  it('reads the spill back in the background a member at a time; a query in the middle finishes it with the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-metric-spill-'));
    dirs.push(dir);
    const inMemory = new MetricStore();
    feed(inMemory, 300, []);
    const stores = ['whole', 'interrupted'].map((name) => {
      const store = new MetricStore();
      store.spillTo(join(dir, name), { batchRecords: 100 });
      feed(store, 300, []);
      return { store, file: join(dir, name, METRIC_SECONDS_FILE) };
    });
    const [whole, interrupted] = stores as [(typeof stores)[number], (typeof stores)[number]];
    // The event loop turns between members: a ticker keeps running while the file is read.
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await whole.store.restoreSpilledInBackground();
    ticking = false;
    expect(ticks).toBeGreaterThan(10);
    expect(() => statSync(whole.file)).toThrow();
    for (const q of queries) expect(view(whole.store.query(q)), JSON.stringify(q)).toEqual(view(inMemory.query(q)));

    const background = interrupted.store.restoreSpilledInBackground();
    await new Promise((resolve) => setImmediate(resolve));
    expect(statSync(interrupted.file).size).toBeGreaterThan(0);
    for (const q of queries) expect(view(interrupted.store.query(q)), JSON.stringify(q)).toEqual(view(inMemory.query(q)));
    expect(() => statSync(interrupted.file)).toThrow();
    await background;
    expect([...metricsLines(interrupted.store)]).toEqual([...metricsLines(inMemory)]);
  }, 60_000);

  it('reads nothing back for a query of recent seconds (a live halt check)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-metric-spill-'));
    dirs.push(dir);
    const spilled = new MetricStore();
    spilled.spillTo(dir);
    feed(spilled, 200, []);
    const cells = (): number => [...spilled.allSeries()].reduce((sum, series) => sum + series.cells.size, 0);
    const before = cells();
    spilled.query({ metric: 'http_req_failed', fromMs: 190_000, toMs: 200_000 });
    expect(cells()).toBe(before);
    spilled.query({ metric: 'http_req_failed', fromMs: 0, toMs: 200_000 });
    expect(cells()).toBeGreaterThan(before);
  }, 60_000);

  it('spills exemplar reservoirs past their horizon and answers window queries as the in-memory store does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-metric-spill-'));
    dirs.push(dir);
    const inMemory = new MetricStore();
    const spilled = new MetricStore();
    spilled.spillTo(dir, { batchRecords: 50 });
    const slotCells: number[] = [];
    for (const store of [inMemory, spilled]) {
      const rec = new MetricRecorder(store);
      let next = 1;
      for (let s = 0; s < 600; s++) {
        for (let n = 0; n < 12; n++) {
          const at = (s * 1000 + n * 80) as Millis;
          const d = ((s * 31 + n * 7919) % 997) + (s % 120 < 10 ? 800 : 0);
          const sample: RequestSample = {
            scheduledAt: at, startedAt: at, scenario: 'clinicians', name: n % 2 ? 'GET /a' : 'GET /b', method: 'GET', group: '', status: 200,
            durationMs: d, correctedDurationMs: d + 3, failed: d > 900, bytesSent: 10, bytesReceived: 10, traceId: (next++).toString(16).padStart(32, '0'),
          };
          rec.recordRequest({ ...sample, startedAt: (at + 1) as Millis });
        }
        if (store === spilled) slotCells.push(store.exemplars.slot('clinicians', 'GET /a').cells.size);
      }
    }
    // Only the last 240 s or so of reservoirs stay in memory.
    expect(slotCells[599]).toBeLessThanOrEqual(245);
    expect(slotCells[599]).toBe(slotCells[400]);
    // The tail sampler's question (the last 180 s) reads nothing back.
    const recent = { fromMs: 420_000 };
    expect(spilled.exemplars.query(recent)).toEqual(inMemory.exemplars.query(recent));
    expect(spilled.exemplars.slot('clinicians', 'GET /a').cells.size).toBe(slotCells[599]);
    for (const q of [{ fromMs: 0, toMs: 60_000, slowest: 5 }, { fromMs: 120_000, toMs: 130_000 }, { name: 'GET /b' }, {}]) {
      const a = spilled.exemplars.query(q);
      const b = inMemory.exemplars.query(q);
      expect(a.slowest, JSON.stringify(q)).toEqual(b.slowest);
      expect(new Set(a.candidates.map((e) => e.traceId)), JSON.stringify(q)).toEqual(new Set(b.candidates.map((e) => e.traceId)));
    }
    expect(spilled.exemplars.slot('clinicians', 'GET /a').cells.size).toBe(600);
  }, 60_000);
});
