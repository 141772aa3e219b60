/** @module collectors/store: per-second request histograms per scenario × name. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { millis } from '../../core/index.js';
import { requestSample } from '../metrics/fixtures.js';
import { createRequestTimeline } from './request-timeline.js';

describe('request timeline', () => {
  it('buckets samples by scheduled start second, scenario and name, with raw and corrected latency', () => {
    const t = createRequestTimeline();
    t.add(requestSample({ scheduledAt: millis(100), durationMs: 10, correctedDurationMs: 10 }));
    t.add(requestSample({ scheduledAt: millis(900), durationMs: 30, correctedDurationMs: 500, failed: true, status: 0 }));
    t.add(requestSample({ scheduledAt: millis(1000), durationMs: 20, correctedDurationMs: 20 }));
    t.add(requestSample({ scheduledAt: millis(1500), name: 'POST /fhir/Patient', durationMs: 40, correctedDurationMs: 40 }));
    const b = t.buckets();
    expect(b.map((x) => [x.atMs, x.name, x.requests, x.failed])).toEqual([
      [0, 'GET /fhir/Patient/{id}', 2, 1], [1000, 'GET /fhir/Patient/{id}', 1, 0], [1000, 'POST /fhir/Patient', 1, 0],
    ]);
    expect(b[0]?.latency).toMatchObject({ count: 2, minMs: 10, maxMs: 30, avgMs: 20 });
    expect(b[0]?.correctedLatency.maxMs).toBe(500);
    const dir = mkdtempSync(join(tmpdir(), 'cb-timeline-'));
    try {
      t.writeNdjson(join(dir, 'http.ndjson'));
      const lines = readFileSync(join(dir, 'http.ndjson'), 'utf8').trim().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { atMs: number }).atMs)).toEqual([0, 1000, 1000]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
