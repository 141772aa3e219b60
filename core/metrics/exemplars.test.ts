import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore, nearestExemplar, SAMPLED_PER_SECOND, SLOWEST_PER_SECOND } from './index.js';
import type { RequestSample } from '../sample.js';
import type { Millis } from '../units.js';

let next = 1;
function sample(over: Partial<RequestSample>): RequestSample {
  const traceId = (next++).toString(16).padStart(32, '0');
  return { scheduledAt: 0 as Millis, startedAt: 0 as Millis, scenario: 's', name: 'GET /x', method: 'GET', group: '', status: 200, durationMs: 10, correctedDurationMs: 10, failed: false, bytesSent: 100, bytesReceived: 1000, traceId, ...over };
}

describe('exemplar reservoirs', () => {
  it('keeps the slowest requests of a window across seconds, slowest first, with their trace ids', () => {
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    const sent: RequestSample[] = [];
    for (let i = 0; i < 3000; i++) {
      const at = (i * 3) as Millis; // 9 seconds
      const s = sample({ scheduledAt: at, startedAt: at, durationMs: (i * 7919) % 1000, correctedDurationMs: ((i * 7919) % 1000) + 5 });
      sent.push(s);
      rec.recordRequest(s);
    }
    const top = store.exemplars.query({ fromMs: 2000, toMs: 6000, slowest: 5 }).slowest;
    const expected = sent.filter((s) => s.scheduledAt >= 2000 && s.scheduledAt < 6000).sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
    expect(top.map((e) => e.traceId)).toEqual(expected.map((s) => s.traceId));
    expect(top[0]).toMatchObject({ durationMs: expected[0]?.durationMs, correctedDurationMs: (expected[0]?.durationMs ?? 0) + 5, status: 200, scenario: 's', name: 'GET /x' });
  });

  it('stays bounded per second whatever the rate', () => {
    const store = new MetricStore();
    const slot = store.exemplars.slot('s', 'GET /x');
    const rec = new MetricRecorder(store);
    for (let i = 0; i < 20_000; i++) rec.recordRequest(sample({ scheduledAt: (i % 2000) as Millis, durationMs: i % 977 }));
    expect(slot.cells.size).toBe(2);
    for (const cell of slot.cells.values()) {
      expect(cell.slowest.length).toBe(SLOWEST_PER_SECOND);
      expect(cell.sampled.length).toBe(SAMPLED_PER_SECOND);
      expect(cell.seen).toBe(10_000);
    }
  });

  it('filters by endpoint and merges stores', () => {
    const a = new MetricStore();
    const b = new MetricStore();
    new MetricRecorder(a).recordRequest(sample({ scenario: 'x', name: 'GET /a', durationMs: 100 }));
    new MetricRecorder(b).recordRequest(sample({ scenario: 'y', name: 'GET /b', durationMs: 200 }));
    a.mergeFrom(b);
    expect(a.exemplars.query({}).slowest.map((e) => e.durationMs)).toEqual([200, 100]);
    expect(a.exemplars.query({ scenario: 'x' }).slowest.map((e) => e.name)).toEqual(['GET /a']);
    expect(a.exemplars.query({ name: 'GET /b' }).candidates).toHaveLength(1);
  });

  it('picks the kept request nearest a percentile value', () => {
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    for (const d of [5, 50, 52, 300]) rec.recordRequest(sample({ durationMs: d }));
    const { candidates } = store.exemplars.query({});
    expect(nearestExemplar(candidates, 49)?.durationMs).toBe(50);
    expect(nearestExemplar(candidates, 1000)?.durationMs).toBe(300);
    expect(nearestExemplar([], 10)).toBeUndefined();
  });
});

describe('exemplar windows', () => {
  it('hold only requests whose intended start falls in the window, to the millisecond', () => {
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    for (let at = 0; at < 3000; at += 50) rec.recordRequest(sample({ scheduledAt: at as Millis, startedAt: at as Millis, durationMs: 3000 - at }));
    const w = store.exemplars.query({ fromMs: 1250, toMs: 2100, slowest: 10 });
    // Second 1's three slowest (1000–1100 ms) are outside; its sampled requests and second 2's slowest are in.
    expect(w.slowest.length).toBeGreaterThan(0);
    expect([...w.slowest, ...w.candidates].every((e) => e.intendedStartMs >= 1250 && e.intendedStartMs < 2100)).toBe(true);
  });
});
