import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore, readMetrics, writeMetrics } from './index.js';
import type { RequestSample } from '../sample.js';
import type { Millis } from '../units.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function exactPercentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function sample(over: Partial<RequestSample>): RequestSample {
  return { scheduledAt: 0 as Millis, startedAt: 0 as Millis, scenario: 's', name: 'GET /x', method: 'GET', group: '', status: 200, durationMs: 10, correctedDurationMs: 10, failed: false, bytesSent: 100, bytesReceived: 1000, traceId: 'a'.repeat(32), ...over };
}

describe('MetricStore', () => {
  it('gives trend percentiles within 0.1 % of the exact values across compacted seconds', { timeout: 20_000 }, () => {
    const store = new MetricStore();
    const values: number[] = [];
    const series = store.series('http_req_duration', { scenario: 'a' });
    for (let i = 0; i < 50_000; i++) {
      const v = 1 + ((i * 7919) % 100_000) / 100; // 1 … 1001 ms
      values.push(v);
      series.add(i * 0.2, v); // 10 seconds of data, so most cells get compacted
    }
    values.sort((a, b) => a - b);
    const agg = store.query({ metric: 'http_req_duration' });
    expect(agg.count).toBe(50_000);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = exactPercentile(values, p);
      expect(Math.abs(agg.percentile(p) - exact) / exact).toBeLessThan(0.001);
    }
    expect(agg.min).toBe(values[0]);
    expect(agg.max).toBe(values[values.length - 1]);
    const ranged = store.query({ metric: 'http_req_duration', fromMs: 2000, toMs: 4000 });
    expect(ranged.count).toBe(10_000);
  });

  it('filters series by tags like a k6 sub-metric and computes rates and counters', { timeout: 10_000 }, () => {
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    for (let i = 0; i < 100; i++) {
      const status = i % 10 === 0 ? 500 : 200;
      rec.recordRequest(sample({ startedAt: (i * 50) as Millis, status, failed: status >= 400, durationMs: status === 500 ? 300 : 20, scenario: i < 50 ? 'a' : 'b' }));
    }
    store.markEnd(5000);
    expect(store.query({ metric: 'http_reqs' }).count).toBe(100);
    expect(store.query({ metric: 'http_reqs' }).rate).toBeCloseTo(20, 5);
    expect(store.query({ metric: 'http_req_failed' }).rate).toBeCloseTo(0.1, 5);
    expect(store.query({ metric: 'http_req_failed', tags: { scenario: 'a' } }).passes).toBe(5);
    expect(store.query({ metric: 'http_req_duration', tags: { expected_response: 'true' } }).max).toBe(20);
    expect(store.query({ metric: 'http_req_duration', tags: { status: '500' } }).min).toBe(300);
    expect(store.query({ metric: 'data_received' }).count).toBe(100_000);
    expect(store.query({ metric: 'http_req_duration', tags: { scenario: 'nope' } }).count).toBe(0);
  });

  it('counts trend values at or below a limit (latency SLIs) across seconds', () => {
    const store = new MetricStore();
    const values = Array.from({ length: 2000 }, (_, i) => 1 + (i % 500)); // 1..500 ms, four times
    values.forEach((v, i) => store.add('http_req_duration', { scenario: 's' }, i * 5, v));
    store.compactAll();
    const all = store.query({ metric: 'http_req_duration' });
    for (const limit of [1, 10, 99.5, 250, 499, 500, 1000]) {
      const exact = values.filter((v) => v <= limit).length;
      expect(Math.abs(all.countAtOrBelow(limit) - exact), `limit ${limit}`).toBeLessThanOrEqual(Math.ceil(exact * 0.002) + 4);
    }
    expect(all.countAtOrBelow(0.5)).toBe(0);
    expect(all.countAtOrBelow(500)).toBe(2000);
    const firstSecond = store.query({ metric: 'http_req_duration', fromMs: 0, toMs: 1000 });
    expect(firstSecond.countAtOrBelow(100)).toBe(values.slice(0, 200).filter((v) => v <= 100).length);
  });

  it('keeps the last gauge value and rejects undeclared metrics', () => {
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    rec.recordVus(100, 3, 10);
    rec.recordVus(2100, 7, 10);
    rec.recordVus(4100, 2, 10);
    const vus = store.query({ metric: 'vus' });
    expect(vus.value).toBe(2);
    expect(vus.max).toBe(7);
    expect(store.query({ metric: 'vus', fromMs: 0, toMs: 3000 }).value).toBe(7);
    expect(() => store.add('my_metric', {}, 0, 1)).toThrow(/declare/);
  });

  it('round-trips through metrics.ndjson with identical aggregates and per-second timeline', { timeout: 10_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cb-metrics-'));
    dirs.push(dir);
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    for (let i = 0; i < 3000; i++) {
      rec.recordRequest(sample({ startedAt: (i * 2) as Millis, durationMs: 5 + (i % 97), correctedDurationMs: 5 + (i % 97) + (i % 13), status: i % 7 === 0 ? 404 : 200, failed: i % 7 === 0 }));
      rec.recordCheck({ at: (i * 2) as Millis, scenario: 's', group: '', name: 'is 200', ok: i % 7 !== 0 });
    }
    store.declare('fhir_read_ms', 'trend');
    store.add('fhir_read_ms', { scenario: 's' }, 10, 42);
    store.markEnd(6000);
    const file = join(dir, 'samples', 'metrics.ndjson');
    await writeMetrics(store, file, 1_700_000_000_000);
    const { store: back, header } = await readMetrics(file);
    expect(header.originEpochMs).toBe(1_700_000_000_000);
    for (const metric of ['http_req_duration', 'http_req_duration_corrected', 'http_req_failed', 'checks', 'http_reqs', 'fhir_read_ms']) {
      const a = store.query({ metric });
      const b = back.query({ metric });
      expect([b.count, b.rate, b.sum, b.min, b.max, b.percentile(95)]).toEqual([a.count, a.rate, a.sum, a.min, a.max, a.percentile(95)]);
    }
    expect(Array.from(back.timeline({ metric: 'http_reqs' }), (t) => t.aggregate.count)).toEqual(Array.from(store.timeline({ metric: 'http_reqs' }), (t) => t.aggregate.count));
  });

  it('reports a damaged samples file as CB_RUN_DIR_INVALID with its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cb-metrics-'));
    dirs.push(dir);
    const file = join(dir, 'metrics.ndjson');
    await writeFile(file, '{"format":"codeblue-metrics/1","elapsedMs":1000}\n{"second":0,"metric":"x","type":"trend","tags":{},"count":1}\n');
    await expect(readMetrics(file)).rejects.toMatchObject({ code: 'CB_RUN_DIR_INVALID', message: expect.stringContaining(':2:') });
  });
});
