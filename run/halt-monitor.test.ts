/** @module run: the halt rule — error rate above a ratio for a number of whole seconds. */
import { describe, expect, it } from 'vitest';
import { millis, type RequestSample } from '../core/index.js';
import { MetricRecorder, MetricStore } from '../core/metrics/index.js';
import { createHaltMonitor } from './halt-monitor.js';

const sample = (atMs: number, failed: boolean): RequestSample => ({
  scheduledAt: millis(atMs), startedAt: millis(atMs), scenario: 's', name: 'n', method: 'GET', group: '', status: failed ? 503 : 200,
  durationMs: 1, correctedDurationMs: 1, failed, bytesSent: 0, bytesReceived: 0, traceId: '0'.repeat(31) + '1',
});

/** A halt monitor over a real metric store, and a way to record requests into that store. */
function watch(rule: { errorRate: number; forMs: number }) {
  const store = new MetricStore();
  const recorder = new MetricRecorder(store);
  const monitor = createHaltMonitor(rule, store);
  const feed = (seconds: number, perSecond: number, failedPerSecond: number, from = 0): void => {
    for (let s = from; s < from + seconds; s++) {
      for (let i = 0; i < perSecond; i++) recorder.recordRequest(sample(s * 1000 + i, i < failedPerSecond));
    }
  };
  return { check: (nowMs: number) => monitor.check(nowMs), feed };
}

describe('createHaltMonitor', () => {
  it('halts once the error rate stayed above the ratio for the whole period', () => {
    const m = watch({ errorRate: 0.5, forMs: 3000 });
    const feed = m.feed;
    feed(2, 10, 1);
    feed(3, 10, 8, 2);
    expect(m.check(4000)).toBeUndefined(); // seconds 2 and 3 complete: a streak of two
    expect(m.check(6000)).toMatch(/above 50.0% for 3s \(seconds 2–4/);
  });

  it('starts over when a healthy second breaks the streak', () => {
    const m = watch({ errorRate: 0.5, forMs: 3000 });
    const feed = m.feed;
    feed(2, 10, 9);
    feed(1, 10, 0, 2);
    feed(2, 10, 9, 3);
    expect(m.check(6000)).toBeUndefined();
  });

  it('also halts at low request rates, once the streak holds enough requests', () => {
    const m = watch({ errorRate: 0.3, forMs: 2000 });
    const feed = m.feed;
    feed(2, 2, 2); // 4 requests, all failed: not enough evidence yet
    expect(m.check(2000)).toBeUndefined();
    feed(1, 2, 2, 2);
    expect(m.check(3000)).toMatch(/above 30.0%/);
  });

  it('does not let a second without requests break a streak', () => {
    const m = watch({ errorRate: 0.5, forMs: 3000 });
    const feed = m.feed;
    feed(1, 10, 10, 0);
    expect(m.check(2000)).toBeUndefined();
    feed(1, 10, 10, 2);
    expect(m.check(4000)).toMatch(/seconds 0–2/);
  });

  it('counts HL7 messages as it counts requests: a plan of MLLP steps only halts when its messages keep failing', () => {
    const store = new MetricStore();
    const monitor = createHaltMonitor({ errorRate: 0.5, forMs: 2000 }, store);
    const tags = (failed: boolean): Record<string, string> => ({ scenario: 'adt', name: 'admit', group: '', ack: failed ? '' : 'AA', ...(failed ? { error: 'ETIMEDOUT' } : {}) });
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i < 10; i++) store.add('hl7_msg_failed', tags(s > 0 && i < 8), s * 1000 + i, s > 0 && i < 8 ? 1 : 0);
    }
    expect(monitor.check(2000)).toBeUndefined();
    expect(monitor.check(3000)).toMatch(/above 50.0% for 2s \(seconds 1–2/);
  });
});
