import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore } from '../../core/metrics/index.js';
import type { Millis } from '../../core/units.js';
import { evaluateThresholds, resolveThresholds } from '../thresholds.js';
import { formatBytes, formatMs } from './format.js';
import { renderSummary } from './render.js';

/** A fixed run: 40 requests (4 failing with 503), 2 checks, 20 iterations over 10 s. */
function fixedStore(): MetricStore {
  const store = new MetricStore();
  const rec = new MetricRecorder(store);
  for (let i = 0; i < 40; i++) {
    const failed = i % 10 === 9;
    const durationMs = 100 + i * 2.5;
    rec.recordRequest({ scheduledAt: (i * 250) as Millis, startedAt: (i * 250) as Millis, scenario: 'clinicians', name: 'GET /fhir/Patient', method: 'GET', group: '', status: failed ? 503 : 200, durationMs, correctedDurationMs: durationMs + 10, failed, bytesSent: 120, bytesReceived: 13_000, traceId: 'f'.repeat(32), timings: { blocked: 0.01, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: durationMs - 1, receiving: 1 } });
    rec.recordCheck({ at: (i * 250) as Millis, scenario: 'clinicians', group: '', name: 'status is 200', ok: !failed });
    rec.recordCheck({ at: (i * 250) as Millis, scenario: 'clinicians', group: '', name: '$.resourceType is "Bundle"', ok: true });
    if (i % 2 === 1) rec.recordIteration('clinicians', i * 250 + 200, durationMs * 2);
  }
  rec.recordVus(1000, 2, 4);
  rec.recordVus(9000, 1, 4);
  store.markEnd(10_000);
  return store;
}

describe('renderSummary', () => {
  it('prints thresholds then total results like k6 compact mode (golden)', () => {
    const store = fixedStore();
    const thresholds = evaluateThresholds(resolveThresholds({
      http_req_duration: ['p(95)<300', 'avg<150'],
      'http_req_failed{scenario:clinicians}': ['rate<0.05'],
      checks: ['rate>0.9'],
    }), store);
    const lines = renderSummary({ store, thresholds, durationMs: 10_000 });
    const golden = readFileSync(new URL('./summary.golden.txt', import.meta.url), 'utf8');
    expect(`${lines.join('\n')}\n`).toBe(golden);
  });

  it('formats durations and data like k6', () => {
    expect([formatMs(0), formatMs(0.485), formatMs(140.356), formatMs(1140), formatMs(65_250)]).toEqual(['0s', '485µs', '140.36ms', '1.14s', '1m5.25s']);
    expect([formatBytes(519_000), formatBytes(4_900), formatBytes(1_300_000), formatBytes(718)]).toEqual(['519 kB', '4.9 kB', '1.3 MB', '718 B']);
  });

  it('ends with a FAIL verdict naming the render failures when nothing was sent, and stays silent when requests were sent', () => {
    const first = { scenario: 's', name: 'read', message: 'template value "{{ pid }}" is not defined (a save step may have found nothing)' };
    const lines = renderSummary({ store: new MetricStore(), thresholds: [], durationMs: 1000, requests: 0, renderFailures: { count: 3, first } });
    expect(lines).toContain('    RENDER FAILURES  3 request(s) not sent · first: s / read: template value "{{ pid }}" is not defined (a save step may have found nothing)');
    expect(lines).toContain('  █ VERDICT  ✗ FAIL no requests were sent: 3 request(s) failed to render; first in scenario "s", step "read": template value "{{ pid }}" is not defined (a save step may have found nothing)');
    expect(renderSummary({ store: fixedStore(), thresholds: [], durationMs: 10_000, requests: 40 }).some((l) => l.includes('VERDICT'))).toBe(false);
  });
});
