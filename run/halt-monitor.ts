/** @module run: watches the error rate second by second and says when `safety.halt` is crossed. */
import type { MetricStore } from '../core/metrics/index.js';

export interface HaltRule {
  /** Halt when the error rate is above this ratio … */
  readonly errorRate: number;
  /** … for this long (ms), measured in whole seconds. */
  readonly forMs: number;
}

export interface HaltMonitor {
  /** Checks the completed seconds up to `nowMs`; returns a reason once the rule is crossed. */
  check(nowMs: number): string | undefined;
}

/** What the rule counts: HTTP requests and HL7 messages alike (a plan of `mllp` steps only must halt too). */
const FAILURE_METRICS = ['http_req_failed', 'hl7_msg_failed'] as const;

/** A streak needs at least this many requests in all before it halts a run (one failure in two requests is noise). */
const MIN_REQUESTS_IN_STREAK = 5;

/** Reads `http_req_failed` and `hl7_msg_failed` second by second from the run's metric store (the samples are counted once, there). */
export function createHaltMonitor(rule: HaltRule, store: MetricStore): HaltMonitor {
  let badSince: number | undefined;
  let streakRequests = 0;
  let checkedUpTo = 0;
  const needed = Math.max(1, Math.ceil(rule.forMs / 1000));
  return {
    check(nowMs) {
      const complete = Math.floor(nowMs / 1000) - 1; // the current second is still filling
      for (let s = checkedUpTo; s <= complete; s++) {
        const b = { total: 0, failed: 0 };
        for (const metric of FAILURE_METRICS) {
          const second = store.query({ metric, fromMs: s * 1000, toMs: (s + 1) * 1000 });
          b.total += second.samples;
          b.failed += second.passes;
        }
        checkedUpTo = s + 1;
        // A second without requests says nothing either way: it neither extends nor breaks a streak.
        if (b.total === 0) continue;
        if (b.failed / b.total > rule.errorRate) {
          if (badSince === undefined) {
            badSince = s;
            streakRequests = 0;
          }
          streakRequests += b.total;
        } else {
          badSince = undefined;
        }
        if (badSince !== undefined && s - badSince + 1 >= needed && streakRequests >= MIN_REQUESTS_IN_STREAK) {
          return `error rate above ${(rule.errorRate * 100).toFixed(1)}% for ${needed}s (seconds ${badSince}–${s} of the run)`;
        }
      }
      return undefined;
    },
  };
}
