/** @module run: the reports' LoadQuery answered from the per-second HDR store (counts, failures, latency, per second). */
import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore } from '../core/metrics/index.js';
import { millis, type RequestSample } from '../core/index.js';
import { evaluateRun, sampleRunInput, type SecondRow } from '../reports/index.js';
import { loadQueryOf } from './load-query.js';

function sample(atMs: number, scenario: string, status: number, durationMs: number): RequestSample {
  return {
    scheduledAt: millis(atMs), startedAt: millis(atMs), scenario, name: `GET /${scenario}`, method: 'GET', group: '', status,
    durationMs, correctedDurationMs: durationMs, failed: status >= 400 || status === 0, bytesSent: 10, bytesReceived: 100, traceId: 'a'.repeat(32),
  };
}

describe('loadQueryOf', () => {
  const store = new MetricStore();
  const recorder = new MetricRecorder(store);
  // Samples count at their end (k6 semantics), so the last slow ones land in second 10.
  // 10 s; scenario a: 10 req/s at 10..100 ms; scenario b: 5 req/s, every 5th a 503 at 500 ms.
  for (let s = 0; s < 10; s++) {
    for (let i = 0; i < 10; i++) recorder.recordRequest(sample(s * 1000 + i * 90, 'a', 200, (i + 1) * 10));
    for (let i = 0; i < 5; i++) recorder.recordRequest(sample(s * 1000 + i * 150, 'b', i === 4 ? 503 : 200, i === 4 ? 500 : 20));
  }
  recorder.recordVus(9999, 7, 10);
  store.compactAll();
  const load = loadQueryOf(store);

  it('lists every scenario × request name', () => {
    expect(load.endpoints()).toEqual([{ scenario: 'a', name: 'GET /a' }, { scenario: 'b', name: 'GET /b' }]);
  });

  it('counts requests, failures and latency in a window, with filters', () => {
    const all = load.window({ fromMs: 0, toMs: 11_000 });
    expect([all.count, all.failed]).toEqual([150, 10]);
    const a = load.window({ fromMs: 2000, toMs: 4000, scenario: 'a' });
    expect(a.count).toBe(20);
    expect(a.latency.countAtOrBelow(50)).toBe(10);
    expect(a.latency.p(100)).toBe(100);
    expect(a.latency.min).toBe(10);
    const failedOnly = load.window({ fromMs: 0, toMs: 11_000, status: 503 });
    expect([failedOnly.count, failedOnly.failed]).toEqual([10, 10]);
    expect(load.window({ fromMs: 0, toMs: 11_000, expectedResponse: true }).count).toBe(140);
    expect(load.window({ fromMs: 0, toMs: 10_000 }).count).toBe(149);
  });

  it('gives one row per second with percentiles, VUs and the asked latency limit', () => {
    const rows = load.perSecond({ atOrBelowMs: 20 });
    expect(rows).toHaveLength(11);
    expect(rows[3]).toMatchObject({ startMs: 3000, count: 15, failed: 1 });
    expect(rows[3]?.atOrBelow).toBe(2 + 4);
    expect(rows[9]?.vus).toBe(7);
    expect(load.perSecond({ scenario: 'b' })[1]).toMatchObject({ startMs: 1000, count: 5, failed: 1 });
  });

  it('gives the same counts, failures and latency limit per second when asked for counts only', () => {
    const pick = (rows: readonly SecondRow[]) => rows.map((r) => [r.startMs, r.count, r.failed, r.atOrBelow]);
    for (const f of [{}, { scenario: 'b' }, { atOrBelowMs: 20 }, { scenario: 'a', name: 'GET /a', atOrBelowMs: 50 }]) {
      const full = load.perSecond(f);
      const counts = load.perSecond({ ...f, countsOnly: true });
      expect(pick(counts)).toEqual(pick(full));
      expect(full.reduce((n, r) => n + r.count, 0)).toBeGreaterThan(0);
    }
  });
});

describe('loadQueryOf: intended-start latency and exemplars', () => {
  const store = new MetricStore();
  const recorder = new MetricRecorder(store);
  // 20 requests of 10 ms; every 4th started 300 ms after its intended start.
  for (let i = 0; i < 20; i++) {
    const late = i % 4 === 0 ? 300 : 0;
    recorder.recordRequest({ ...sample(i * 100, 'a', 200, 10), correctedDurationMs: 10 + late, traceId: (i + 1).toString(16).padStart(32, '0') });
  }
  const load = loadQueryOf(store);

  it('answers latency from the intended start when asked', () => {
    const raw = load.window({ fromMs: 0, toMs: 3000 });
    const intended = load.window({ fromMs: 0, toMs: 3000, latencyFrom: 'intended' });
    expect(raw.latency.max).toBe(10);
    expect(intended.latency.max).toBe(310);
    expect(intended.latency.countAtOrBelow(50)).toBe(15);
    const perSecond = load.perSecond({ atOrBelowMs: 50, latencyFrom: 'intended' });
    expect(perSecond.reduce((n, r) => n + (r.atOrBelow ?? 0), 0)).toBe(15);
  });

  it('answers exemplars of a window from the store', () => {
    const w = load.exemplars?.({ fromMs: 0, toMs: 1000, slowest: 3 });
    expect(w?.candidates.length).toBeGreaterThan(0);
    expect(w?.candidates.every((e) => e.intendedStartMs < 1000 && e.traceId.length === 32)).toBe(true);
  });
});

describe('loadQueryOf with events: hl7', () => {
  const store = new MetricStore();
  // 10 s of one HL7 message per 100 ms: every 10th answered AE (failed), every 5th ACK after 400 ms; plus HTTP requests that must not count.
  for (let i = 0; i < 100; i++) {
    const tags = { scenario: 'adt', name: 'admit', group: '', ack: i % 10 === 9 ? 'AE' : 'AA' };
    store.add('hl7_msgs', tags, i * 100, 1);
    store.add('hl7_msg_duration', tags, i * 100, i % 5 === 4 ? 400 : 50);
    store.add('hl7_msg_failed', tags, i * 100, i % 10 === 9 ? 1 : 0);
  }
  new MetricRecorder(store).recordRequest(sample(500, 'web', 503, 900));
  store.compactAll();
  const load = loadQueryOf(store);

  it('counts HL7 messages, their failures and ACK latency instead of HTTP requests', () => {
    const w = load.window({ fromMs: 0, toMs: 10_000, events: 'hl7' });
    expect([w.count, w.failed, w.latency.countAtOrBelow(100)]).toEqual([100, 10, 80]);
    expect(load.window({ fromMs: 0, toMs: 10_000, events: 'hl7', name: 'GET /web' }).count).toBe(0);
    expect(load.window({ fromMs: 0, toMs: 10_000 }).count).toBe(1);
  });

  it('answers per second for burn-rate alerts', () => {
    const rows = load.perSecond({ events: 'hl7', atOrBelowMs: 100 });
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.count === 10 && r.failed === 1 && r.atOrBelow === 8)).toBe(true);
  });

  it('feeds an HL7 SLO: good = acknowledged AA, with burn rate and budget as for HTTP', () => {
    const base = sampleRunInput({ seconds: 10 });
    const results = evaluateRun({
      ...base, load, phases: [], faults: [], meta: { ...base.meta, durationMs: 10_000 },
      slos: [
        { name: 'acked', objective: 0.95, sli: 'availability', window: millis(2_592_000_000), events: 'hl7' },
        { name: 'fast', objective: 0.8, sli: { latency: millis(100) }, window: millis(2_592_000_000), events: 'hl7' },
      ],
    });
    const [availability, latency] = results.slos;
    const run = (slo: typeof availability) => slo?.scopes.find((x) => x.scope === 'run');
    expect(availability).toMatchObject({ events: 'hl7', pass: false });
    expect(run(availability)).toMatchObject({ total: 100, good: 90, bad: 10 });
    expect(run(availability)?.burnRate).toBeCloseTo(2, 6);
    expect(availability?.budget.sentence).toContain('unacknowledged messages');
    expect(latency).toMatchObject({ events: 'hl7', thresholdMs: 100 });
    expect(run(latency)).toMatchObject({ total: 100, good: 80, pass: true });
    expect(results.verdicts.find((v) => v.name === 'acked')?.message).toContain('90 % HL7 messages acknowledged AA (90/100)');
  });
});
