/** @module core: the one clock a run shares, and a manual clock for tests. */
import { millis, type Millis } from './units.js';

/**
 * Run time: `now()` is milliseconds since the clock's origin (monotonic), and
 * `wallAt()` turns such an offset into epoch milliseconds for reports.
 */
export interface Clock {
  /** Milliseconds since the origin, monotonic. */
  now(): Millis;
  /** Epoch milliseconds of the origin. */
  readonly originEpochMs: number;
  /** Epoch milliseconds of a run offset. */
  wallAt(offset: Millis): number;
  /** Resolves when `now() >= at`, or rejects with the signal's reason when aborted. */
  sleepUntil(at: Millis, signal?: AbortSignal): Promise<void>;
}

/** A clock on `performance.now()`, with its origin at creation. */
export function systemClock(): Clock {
  const start = performance.now();
  const originEpochMs = Date.now();
  const now = (): Millis => millis(performance.now() - start);
  return {
    now,
    originEpochMs,
    wallAt: (offset) => originEpochMs + offset,
    sleepUntil: (at, signal) => sleep(Math.max(0, at - now()), signal),
  };
}

/** Sleeps `ms`, rejecting with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A clock moved by hand; sleepers wake when `advance` passes their time. */
export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
}

/** @internal A clock for tests: time stands still until `advance` is called. */
export function manualClock(originEpochMs = 0): ManualClock {
  let current = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    originEpochMs,
    now: () => millis(current),
    wallAt: (offset) => originEpochMs + offset,
    sleepUntil(at, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (at <= current) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          // Only a sleeper still waiting is removed: after it woke, indexOf is -1 and splice(-1) would drop another.
          const index = sleepers.indexOf(entry);
          if (index >= 0) sleepers.splice(index, 1);
          reject(signal?.reason);
        };
        const entry = {
          at,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        sleepers.push(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = current + ms;
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        sleepers.shift();
        current = next.at;
        next.wake();
        await new Promise((r) => setImmediate(r));
      }
      current = target;
    },
  };
}

/** A clock whose origin is set when the run really begins (`start()`); before that it counts from creation. */
export interface DeferredClock extends Clock {
  /** Moves the origin to now: offset 0 is the start of the first phase. */
  start(): void;
  readonly started: boolean;
}

export function deferredClock(): DeferredClock {
  let origin = performance.now();
  let originEpochMs = Date.now();
  let started = false;
  const now = (): Millis => millis(performance.now() - origin);
  return {
    now,
    get originEpochMs() {
      return originEpochMs;
    },
    get started() {
      return started;
    },
    wallAt: (offset) => originEpochMs + offset,
    sleepUntil: (at, signal) => sleep(Math.max(0, at - now()), signal),
    start() {
      origin = performance.now();
      originEpochMs = Date.now();
      started = true;
    },
  };
}
