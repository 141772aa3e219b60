/** @module run: watches the error rate second by second and says when `safety.halt` is crossed. */
import type { RequestSample, Sink } from '../core/index.js';

export interface HaltRule {
  /** Halt when the error rate is above this ratio … */
  readonly errorRate: number;
  /** … for this long (ms), measured in whole seconds. */
  readonly forMs: number;
}

export interface HaltMonitor extends Sink<RequestSample> {
  /** Checks the completed seconds up to `nowMs`; returns a reason once the rule is crossed. */
  check(nowMs: number): string | undefined;
}

/** A streak needs at least this many requests in all before it halts a run (one failure in two requests is noise). */
const MIN_REQUESTS_IN_STREAK = 5;

export function createHaltMonitor(rule: HaltRule): HaltMonitor {
  const totals = new Map<number, { total: number; failed: number }>();
  let badSince: number | undefined;
  let streakRequests = 0;
  let checkedUpTo = 0;
  const needed = Math.max(1, Math.ceil(rule.forMs / 1000));
  return {
    add(sample) {
      const second = Math.floor((sample.startedAt + sample.durationMs) / 1000);
      const bucket = totals.get(second) ?? { total: 0, failed: 0 };
      bucket.total += 1;
      if (sample.failed) bucket.failed += 1;
      totals.set(second, bucket);
    },
    check(nowMs) {
      const complete = Math.floor(nowMs / 1000) - 1; // the current second is still filling
      for (let s = checkedUpTo; s <= complete; s++) {
        const b = totals.get(s);
        totals.delete(s);
        checkedUpTo = s + 1;
        // A second without requests says nothing either way: it neither extends nor breaks a streak.
        if (b === undefined || b.total === 0) continue;
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
