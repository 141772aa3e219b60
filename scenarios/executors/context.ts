/** @module scenarios/executors: what an executor gets — the clock, VU accounting, one-iteration runner, stop signals. */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../../core/clock.js';
import { millis } from '../../core/units.js';
import type { ExecutorName, ScenarioSpec } from '../schema.js';

/** The scenario spec of executor `N`: its own variant of the discriminated union. */
export type SpecOf<N extends ExecutorName> = Extract<ScenarioSpec, { readonly executor: N }>;

/** VU accounting shared by every scenario of a run (k6 `vus` / `vus_max`), capped by safety.maxVUs. */
export class VuPool {
  allocated = 0;
  private nextId = 1;
  private activeNow = 0;
  private peak = 0;

  /** VUs running an iteration now. */
  get active(): number {
    return this.activeNow;
  }
  set active(n: number) {
    this.activeNow = n;
    if (n > this.peak) this.peak = n;
  }

  /** The most VUs active since the previous call: the per-second `vus` sample, so a run shorter than a second still shows its VUs. */
  samplePeak(): number {
    const p = this.peak;
    this.peak = this.activeNow;
    return p;
  }

  constructor(readonly max: number) {}

  /** Allocates a VU id, or undefined when safety.maxVUs is reached. */
  allocate(): number | undefined {
    if (this.allocated >= this.max) return undefined;
    this.allocated++;
    return this.nextId++;
  }
}

/** What one executor needs to drive its scenario (the spec comes separately, narrowed to the executor's variant). */
export interface ExecutorContext {
  /** The scenario's name in the plan. */
  readonly name: string;
  readonly clock: Clock;
  /** Run offset (ms) at which the scenario starts (its startTime). */
  readonly startAt: number;
  /** Aborts when the whole run stops (abortOnFail, safety limits, Ctrl-C): iterations are interrupted. */
  readonly runStop: AbortSignal;
  readonly vus: VuPool;
  /** Runs one iteration on VU `vu`; resolves true when it completed. */
  iterate(vu: number, iter: number, scheduledAt: number, signal: AbortSignal): Promise<boolean>;
  /** Counts an arrival that found no free VU (k6 `dropped_iterations`). */
  dropped(at: number): void;
}

/**
 * One executor: a k6 name and how it schedules iterations of a scenario with that executor's spec.
 * Members are function properties (not methods) so the spec parameter is checked strictly, never bivariantly.
 */
export interface ExecutorDefinition<N extends ExecutorName> {
  readonly name: N;
  /** Setup-time refusal before any request (throws a CodeblueError), for a spec the embedded engine cannot run. */
  readonly refuse?: (scenario: string, spec: SpecOf<N>) => void;
  readonly run: (ctx: ExecutorContext, spec: SpecOf<N>) => Promise<void>;
}

/**
 * k6's two-step stop: at `endAt` no new iteration starts (`starting` aborts); running ones get `gracefulStop` ms,
 * then `hard` aborts and interrupts them. Both abort at once when the run stops.
 */
export function stopSignals(ctx: ExecutorContext, endAt: number, gracefulStop: number): { starting: AbortSignal; hard: AbortSignal; dispose: () => void } {
  const starting = new AbortController();
  const hard = new AbortController();
  // Every in-flight request and think time of every VU listens on these.
  setMaxListeners(0, starting.signal, hard.signal);
  const onRunStop = (): void => {
    starting.abort(ctx.runStop.reason);
    hard.abort(ctx.runStop.reason);
  };
  if (ctx.runStop.aborted) onRunStop();
  ctx.runStop.addEventListener('abort', onRunStop, { once: true });
  const timers = new AbortController();
  ctx.clock.sleepUntil(millis(endAt), timers.signal).then(() => {
    starting.abort(new Error('scenario ended'));
    return ctx.clock.sleepUntil(millis(endAt + gracefulStop), timers.signal).then(() => hard.abort(new Error('gracefulStop elapsed')));
  }, () => undefined).catch(() => undefined);
  return {
    starting: starting.signal,
    hard: hard.signal,
    dispose: () => {
      timers.abort();
      ctx.runStop.removeEventListener('abort', onRunStop);
    },
  };
}

/** Lets timers and I/O run between iterations that did no I/O (so a broken flow cannot starve the event loop). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A closed-model VU: iterates while `more()` allows and `starting` has not aborted.
 * `active` is checked before each iteration (ramping-vus parks VUs above the current target).
 */
export async function vuLoop(ctx: ExecutorContext, vu: number, starting: AbortSignal, hard: AbortSignal, more: (iter: number) => boolean): Promise<void> {
  let iter = 0;
  while (!starting.aborted && more(iter)) {
    ctx.vus.active++;
    let ok = false;
    try {
      ok = await ctx.iterate(vu, iter, ctx.clock.now(), hard);
    } finally {
      ctx.vus.active--;
    }
    iter++;
    if (!ok || iter % 16 === 0) await yieldToLoop();
  }
}

/** Resolves when `signal` aborts. */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
