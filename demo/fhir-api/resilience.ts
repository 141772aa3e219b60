/** @module demo/fhir-api: the hardened and fragile presets, and retry with exponential backoff + full jitter. */
import type { ResilienceMode } from '../config/flags.js';
import type { PoolLimits } from '../db/pool.js';

/** Circuit-breaker options (opossum names). */
interface BreakerSettings {
  readonly errorThresholdPercentage: number;
  readonly volumeThreshold: number;
  /** Open → half-open after this long, milliseconds. */
  readonly resetTimeout: number;
  /** Statistics window, milliseconds. */
  readonly rollingCountTimeout: number;
  /** Bulkhead: concurrent EHR operations allowed. */
  readonly capacity: number;
}

/** Everything the presets switch. Undefined timeouts mean "wait forever". */
export interface ResilienceSettings {
  readonly mode: ResilienceMode;
  readonly ehrAttemptTimeoutMs?: number;
  readonly ehrRetries: number;
  readonly ehrBackoffBaseMs: number;
  readonly ehrBackoffMaxMs: number;
  /** Total budget of one EHR operation including retries, milliseconds. */
  readonly ehrDeadlineMs?: number;
  readonly breaker: BreakerSettings | null;
  readonly db: PoolLimits;
  /** Whole-request budget; past it the API answers 503, milliseconds. */
  readonly requestTimeoutMs?: number;
  /** Serve read-by-id from memory when the database fails, and EHR results from the database when the EHR fails. */
  readonly fallbacks: boolean;
  /** Encounter admits go through the outbox (ACK awaited but not required); fragile awaits the EHR inline. */
  readonly admitViaOutbox: boolean;
}

/** The two presets. */
export const PRESETS: Readonly<Record<ResilienceMode, ResilienceSettings>> = {
  hardened: {
    mode: 'hardened',
    ehrAttemptTimeoutMs: 600,
    ehrRetries: 2,
    ehrBackoffBaseMs: 50,
    ehrBackoffMaxMs: 400,
    ehrDeadlineMs: 1500,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeout: 5000, rollingCountTimeout: 10_000, capacity: 16 },
    db: { max: 10, connectionTimeoutMs: 1000, queryTimeoutMs: 2000 },
    requestTimeoutMs: 4000,
    fallbacks: true,
    admitViaOutbox: true,
  },
  fragile: {
    mode: 'fragile',
    ehrRetries: 0,
    ehrBackoffBaseMs: 0,
    ehrBackoffMaxMs: 0,
    breaker: null,
    db: { max: 40 },
    fallbacks: false,
    admitViaOutbox: false,
  },
};

/** Options of one retried operation. */
export interface RetryOptions {
  readonly retries: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** Epoch ms after which no new attempt starts. */
  readonly deadlineAt?: number;
  readonly random?: () => number;
  /** Errors for which another attempt cannot help (default: all are retryable). */
  readonly isRetryable?: (err: unknown) => boolean;
}

/** Runs `op` up to 1 + retries times, sleeping random(0, min(max, base·2^n)) between attempts ("full jitter"). */
export async function retryWithBackoff<T>(op: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const random = o.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      const delay = random() * Math.min(o.maxMs, o.baseMs * 2 ** attempt);
      const outOfTime = o.deadlineAt !== undefined && Date.now() + delay >= o.deadlineAt;
      if (attempt >= o.retries || outOfTime || o.isRetryable?.(err) === false) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
