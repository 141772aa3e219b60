/** @module run: the live numbers come from the last complete second of the metric store. */
import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore } from '../core/metrics/index.js';
import { millis } from '../core/index.js';
import { tickStats } from './tick-stats.js';

describe('tickStats', () => {
  it('reads rps, p95 and error rate of the last complete second, and the totals', () => {
    const store = new MetricStore();
    const recorder = new MetricRecorder(store);
    for (let i = 0; i < 20; i++) {
      const failed = i < 5;
      recorder.recordRequest({
        scheduledAt: millis(1000 + i * 40), startedAt: millis(1000 + i * 40), scenario: 's', name: 'n', method: 'GET', group: '',
        status: failed ? 503 : 200, durationMs: i + 1, correctedDurationMs: i + 1, failed, bytesSent: 0, bytesReceived: 0, traceId: 'b'.repeat(32),
      });
    }
    recorder.recordVus(1900, 4, 8);
    const stats = tickStats(store, 2300);
    expect(stats).toMatchObject({ rps: 20, errorRate: 0.25, requests: 20, vus: 4 });
    expect(stats.p95Ms).toBeCloseTo(19, 1);
    expect(tickStats(store, 3500)).toMatchObject({ rps: 0, p95Ms: undefined, errorRate: 0, requests: 20 });
  });

  it('adds the HL7 messages of MLLP steps once there are any: rate, ACK p95, failed share and count', () => {
    const store = new MetricStore();
    expect(tickStats(store, 2300).hl7).toBeUndefined();
    for (let i = 0; i < 10; i++) {
      const tags = { scenario: 'adt', name: 'admit', group: '', ack: i < 2 ? 'AE' : 'AA', ...(i < 2 ? { error: 'ACK_AE' } : {}) };
      store.add('hl7_msgs', tags, 1000 + i * 50, 1);
      store.add('hl7_msg_duration', tags, 1000 + i * 50, (i + 1) * 10);
      store.add('hl7_msg_failed', tags, 1000 + i * 50, i < 2 ? 1 : 0);
    }
    const stats = tickStats(store, 2300);
    expect(stats).toMatchObject({ rps: 0, requests: 0, hl7: { mps: 10, errorRate: 0.2, messages: 10 } });
    expect(stats.hl7?.p95Ms).toBeCloseTo(100, -1);
    expect(tickStats(store, 3500).hl7).toMatchObject({ mps: 0, p95Ms: undefined, errorRate: 0, messages: 10 });
  });
});

