/** @module collectors/store: aggregates per phase × service × span, self time, kept spans in compressed files, bounded memory. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeExport } from '../otlp/decode.js';
import { hexId, traceRequestJson, type PayloadSpan } from '../otlp/test-payloads.js';
import type { SpanRecord } from '../otlp/types.js';
import { LatencySketch } from './latency-sketch.js';
import { createSpanStore } from './span-store.js';

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function records(service: string, spans: PayloadSpan[]): SpanRecord[] {
  const d = decodeExport('traces', 'json', Buffer.from(JSON.stringify(traceRequestJson(service, spans))));
  return d.signal === 'traces' ? d.result.records : [];
}

describe('span store', () => {
  it('aggregates count, errors and latency per phase × service × span name, placing spans by start time', () => {
    const store = createSpanStore();
    store.setPhase('fault', T0 + 1000); // phase changes may arrive out of order
    store.setPhase('baseline', T0);
    store.addSpans(records('api', [
      { traceId: hexId(1, 16), spanId: hexId(1, 8), name: 'GET', startMs: T0 - 5, durationMs: 7 },
      { traceId: hexId(2, 16), spanId: hexId(2, 8), name: 'GET', startMs: T0 + 10, durationMs: 20 },
      { traceId: hexId(3, 16), spanId: hexId(3, 8), name: 'GET', startMs: T0 + 1500, durationMs: 400, statusCode: 2 },
      { traceId: hexId(4, 16), spanId: hexId(4, 8), name: 'GET', startMs: T0 + 1600, durationMs: 600 },
    ]));
    const agg = store.aggregates().sort((a, b) => a.phase.localeCompare(b.phase));
    expect(agg.map((a) => [a.phase, a.service, a.span, a.count, a.errors])).toEqual([
      ['baseline', 'api', 'GET', 1, 0], ['before', 'api', 'GET', 1, 0], ['fault', 'api', 'GET', 2, 1],
    ]);
    expect(agg[2]?.latency).toMatchObject({ count: 2, minMs: 400, maxMs: 600, avgMs: 500 });
    expect(store.sketchOf({ phase: 'fault' }).count).toBe(2);
  });

  it('attributes self time to the service that spent it (children subtracted, overlaps merged)', () => {
    const store = createSpanStore();
    const trace = hexId(7, 16);
    store.addSpans(records('gateway', [{ traceId: trace, spanId: hexId(1, 8), startMs: T0, durationMs: 100, kind: 2 }]));
    // Two concurrent children covering 10..50 and 30..70 → union 60 ms, so the gateway spent 40 ms itself.
    store.addSpans(records('ehr', [
      { traceId: trace, spanId: hexId(2, 8), parentSpanId: hexId(1, 8), startMs: T0 + 10, durationMs: 40 },
      { traceId: trace, spanId: hexId(3, 8), parentSpanId: hexId(1, 8), startMs: T0 + 30, durationMs: 40 },
      { traceId: trace, spanId: hexId(4, 8), parentSpanId: hexId(3, 8), startMs: T0 + 40, durationMs: 10 },
    ]));
    const self = Object.fromEntries(store.selfTime().map((e) => [e.service, Math.round(e.selfTimeMs * 1000) / 1000]));
    expect(store.selfTime().map((e) => [e.service, e.spans])).toEqual([['gateway', 1], ['ehr', 3]]);
    expect(self).toEqual({ gateway: 40, ehr: 80 }); // ehr: 40 + (40 − 10) + 10
    expect(store.hasServerSpan(trace)).toBe(true);
    expect(store.spansOf(trace)).toHaveLength(4);
  });

  it('writes kept spans to compressed span files, scans each once, and a new store on the folder starts it empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-store-'));
    dirs.push(dir);
    const store = createSpanStore({ spillDir: dir });
    for (let batch = 0; batch < 10; batch++) {
      store.addSpans(records('api', Array.from({ length: 20 }, (_, i) => ({ traceId: hexId(batch * 20 + i, 16), spanId: hexId(batch * 20 + i, 8) }))));
    }
    expect(store.stats().spans).toMatchObject({ total: 200, inMemory: 200 }); // waiting for their traces to complete
    store.flush();
    expect(store.spansOf(hexId(0, 16))).toEqual([]); // on disk: not in memory
    expect(store.hasServerSpan(hexId(0, 16))).toBe(true); // but still joinable
    const ids = [];
    for await (const s of store.scanSpans()) ids.push(s.spanId);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => hexId(i, 8)));
    expect(readdirSync(dir).filter((f) => f.startsWith('spans'))).toEqual(['spans-0001.ndjson.gz']);
    expect(store.stats().spans).toMatchObject({ total: 200, inMemory: 0, onDisk: 200, dropped: 0 });
    expect(store.stats().sampling).toMatchObject({ keep: 'all', tracesSeen: 200, tracesKept: 200, spansKept: 200 });
    const plain = gunzipSync(readFileSync(join(dir, 'spans-0001.ndjson.gz'))).toString('utf8').trim().split('\n');
    expect(plain).toHaveLength(200);
    createSpanStore({ spillDir: dir });
    expect(readdirSync(dir).filter((f) => f.startsWith('spans'))).toEqual([]);
  });

  it('drops (and counts) the oldest kept spans when there is no spill folder', () => {
    const store = createSpanStore({ maxSpansInMemory: 10 });
    store.addSpans(records('api', Array.from({ length: 25 }, (_, i) => ({ traceId: hexId(i, 16), spanId: hexId(i, 8) }))));
    store.flush();
    const s = store.stats().spans;
    expect(s.inMemory + s.dropped).toBe(25);
    expect(s.inMemory).toBeLessThanOrEqual(10);
    expect(store.aggregates()[0]?.count).toBe(25); // aggregates keep everything
  });
});

describe('span store byte cap', () => {
  const big = (i: number): PayloadSpan => ({ traceId: hexId(i, 16), spanId: hexId(i, 8), attributes: { blob: `${i}`.padEnd(3000, 'x') } });

  it('judges the oldest waiting traces early once their estimated bytes pass half the budget, whatever their count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-store-'));
    dirs.push(dir);
    const budget = 400_000; // waiting traces get 200 000 estimated bytes: about 60 spans of 3 KB
    const store = createSpanStore({ maxBytesInMemory: budget, spillDir: dir });
    for (let batch = 0; batch < 20; batch++) store.addSpans(records('api', Array.from({ length: 10 }, (_, i) => big(batch * 10 + i))));
    const s = store.stats().spans;
    expect(s.total).toBe(200);
    expect(s.bytesInMemory).toBeLessThanOrEqual(budget / 2);
    expect(s.bytesInMemory).toBeGreaterThan(s.inMemory * 3000); // each span's 3000-char value is counted
    expect(s.inMemory).toBeLessThan(100);
    store.flush();
    const ids = [];
    for await (const span of store.scanSpans()) ids.push(span.spanId);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => hexId(i, 8)));
  });

  it('drops and counts by bytes without a spill folder, and counts a resource shared by a batch once', () => {
    const store = createSpanStore({ maxBytesInMemory: 400_000 });
    store.addSpans(records('api', Array.from({ length: 200 }, (_, i) => big(i))));
    store.flush();
    const s = store.stats().spans;
    expect(s.inMemory + s.dropped).toBe(200);
    expect(s.bytesInMemory).toBeLessThanOrEqual(200_000);
    expect(s.dropped).toBeGreaterThan(100);
    const one = createSpanStore();
    one.addSpans(records('api', [big(1)]));
    const two = createSpanStore();
    two.addSpans(records('api', [big(1), big(2)]));
    // The second span of one batch shares the first one's resource object: it adds less than the first.
    expect(two.stats().spans.bytesInMemory).toBeLessThan(2 * one.stats().spans.bytesInMemory);
  });
});

describe('span store aggregate cap', () => {
  it('folds span names past maxAggregates into one "(other)" row per phase and service', () => {
    const store = createSpanStore({ maxAggregates: 3 });
    store.addSpans(records('api', Array.from({ length: 10 }, (_, i) => ({ traceId: hexId(i, 16), spanId: hexId(i, 8), name: `GET /patient/${i}` }))));
    const rows = store.aggregates().map((a) => [a.span, a.count]);
    expect(rows).toEqual([['GET /patient/0', 1], ['GET /patient/1', 1], ['GET /patient/2', 1], ['(other)', 7]]);
  });
});

describe('latency sketch', () => {
  it('answers quantiles within 1 % of the exact value', () => {
    const sketch = new LatencySketch();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.5 + ((i * 7919) % 10_000) / 3);
    for (const v of values) sketch.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))] as number;
      expect(Math.abs(sketch.quantile(q) - exact) / exact).toBeLessThan(0.011);
    }
    expect(sketch.quantile(1)).toBe(Math.max(...values));
  });
});
