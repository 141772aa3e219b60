/**
 * @module run: the run clock, whose offset 0 is the start of the baseline phase. It exists from the run's
 * first journal line (proxies, target start, steady state are timed on it), and `restart()` moves its origin
 * to the moment the phases begin, so phases, fault times and load offsets all count from the same instant.
 */
import { systemClock, type Clock } from '../core/index.js';

export interface RunClock extends Clock {
  /** Moves offset 0 to now. Entries journalled before keep the offsets they had (from the run's start). */
  restart(): void;
}

export function runClock(): RunClock {
  let inner = systemClock();
  return {
    now: () => inner.now(),
    get originEpochMs() {
      return inner.originEpochMs;
    },
    wallAt: (offset) => inner.wallAt(offset),
    sleepUntil: (at, signal) => inner.sleepUntil(at, signal),
    restart() {
      inner = systemClock();
    },
  };
}
