/** @module run: a rolling one-second view of the load for the live display (rps, p95, error rate). */
import type { RequestSample, Sink } from '../core/index.js';
import type { TickStats } from './events.js';

/** Keeps only the last few seconds of durations; never every sample of the run. */
export function createTickStats(windowMs = 1000): Sink<RequestSample> & { snapshot(nowMs: number, vus: number): TickStats } {
  let recent: { end: number; duration: number; failed: boolean }[] = [];
  let requests = 0;
  return {
    add(sample) {
      requests += 1;
      recent.push({ end: sample.startedAt + sample.durationMs, duration: sample.durationMs, failed: sample.failed });
      if (recent.length > 200_000) recent = recent.slice(-100_000);
    },
    snapshot(nowMs, vus) {
      recent = recent.filter((r) => r.end > nowMs - windowMs * 3);
      const last = recent.filter((r) => r.end > nowMs - windowMs);
      const sorted = last.map((r) => r.duration).sort((a, b) => a - b);
      const p95 = sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] : undefined;
      return {
        rps: last.length / (windowMs / 1000),
        p95Ms: p95,
        errorRate: last.length > 0 ? last.filter((r) => r.failed).length / last.length : 0,
        requests,
        vus,
      };
    },
  };
}
