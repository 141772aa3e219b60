/**
 * @module collectors/store: load-side latency per time bucket (default 1 s) × scenario × request name — the
 * run folder's `samples/` — built from the engine's samples without keeping them (one sketch per bucket).
 */
import { writeFileSync } from 'node:fs';
import type { RequestSample, Sink } from '../../core/index.js';
import { LatencySketch, type LatencySummary } from './latency-sketch.js';

export interface TimelineBucket {
  /** Run offset (ms) where the bucket starts, by the request's *scheduled* start. */
  readonly atMs: number;
  readonly scenario: string;
  readonly name: string;
  readonly requests: number;
  readonly failed: number;
  /** Raw duration (k6 http_req_duration). */
  readonly latency: LatencySummary;
  /** Duration from the scheduled start (coordinated omission corrected). */
  readonly correctedLatency: LatencySummary;
}

export interface RequestTimeline extends Sink<RequestSample> {
  /** Buckets ordered by time, then scenario, then name. */
  buckets(): TimelineBucket[];
  /** Writes one bucket per line. */
  writeNdjson(file: string): void;
}

interface Cell {
  readonly atMs: number;
  readonly scenario: string;
  readonly name: string;
  requests: number;
  failed: number;
  readonly raw: LatencySketch;
  readonly corrected: LatencySketch;
}

/** @param bucketMs bucket width in ms (default 1000). */
export function createRequestTimeline(bucketMs = 1000): RequestTimeline {
  const cells = new Map<string, Cell>();
  const buckets = (): TimelineBucket[] =>
    [...cells.values()]
      .sort((a, b) => a.atMs - b.atMs || a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name))
      .map((c) => ({
        atMs: c.atMs, scenario: c.scenario, name: c.name, requests: c.requests, failed: c.failed,
        latency: c.raw.summary(), correctedLatency: c.corrected.summary(),
      }));
  return {
    add(sample) {
      const atMs = Math.floor(sample.scheduledAt / bucketMs) * bucketMs;
      const key = `${atMs}\u0000${sample.scenario}\u0000${sample.name}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = { atMs, scenario: sample.scenario, name: sample.name, requests: 0, failed: 0, raw: new LatencySketch(), corrected: new LatencySketch() };
        cells.set(key, cell);
      }
      cell.requests++;
      if (sample.failed) cell.failed++;
      cell.raw.add(sample.durationMs);
      cell.corrected.add(sample.correctedDurationMs);
    },
    buckets,
    writeNdjson(file) {
      writeFileSync(file, buckets().map((b) => `${JSON.stringify(b)}\n`).join(''));
    },
  };
}
