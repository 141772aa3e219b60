/** @module scenarios/executors: ramping-vus — the VU count follows `stages` linearly; ramp-down waits `gracefulRampDown`. */
import { millis } from '../../core/units.js';
import { aborted, stopSignals, yieldToLoop, type ExecutorContext, type ExecutorDefinition } from './context.js';

/** Target VUs at `t` ms into the scenario: linear within a stage, reaching each stage's target at its end. */
export function rampingTarget(startVUs: number, stages: readonly { duration: number; target: number }[], t: number): number {
  let from = startVUs;
  let at = 0;
  for (const st of stages) {
    if (t < at + st.duration) {
      const exact = from + ((st.target - from) * (t - at)) / st.duration;
      return st.target >= from ? Math.floor(exact) : Math.ceil(exact);
    }
    from = st.target;
    at += st.duration;
  }
  return from;
}

const TICK_MS = 50;

export const rampingVus: ExecutorDefinition<'ramping-vus'> = {
  name: 'ramping-vus',
  async run(ctx, spec) {
    const span = spec.stages.reduce((s, st) => s + st.duration, 0);
    const stop = stopSignals(ctx, ctx.startAt + span, spec.gracefulStop);
    let target = rampingTarget(spec.startVUs, spec.stages, 0);
    // Resolvers of everyone waiting for the next target change (parked VUs, ramp-down watchers); drained each tick.
    let waiters: (() => void)[] = [];
    const wakeAll = (): void => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    const loops: Promise<void>[] = [];
    const started: number[] = [];
    const ensureVus = (): void => {
      while (started.length < target) {
        const vu = ctx.vus.allocate();
        if (vu === undefined) return;
        const index = started.length;
        started.push(vu);
        loops.push(rampedVu(ctx, vu, index, () => target, () => new Promise<void>((r) => void waiters.push(r)), stop.starting, stop.hard, spec.gracefulRampDown));
      }
    };
    ensureVus();
    while (!stop.starting.aborted) {
      try {
        await ctx.clock.sleepUntil(millis(Math.min(ctx.clock.now() + TICK_MS, ctx.startAt + span)), stop.starting);
      } catch {
        break;
      }
      target = rampingTarget(spec.startVUs, spec.stages, ctx.clock.now() - ctx.startAt);
      ensureVus();
      wakeAll();
    }
    wakeAll();
    await Promise.all(loops);
    stop.dispose();
  },
};

/** One VU of a ramping scenario: iterates while its index is below the target, parks otherwise. */
async function rampedVu(ctx: ExecutorContext, vu: number, index: number, target: () => number, changed: () => Promise<void>, starting: AbortSignal, hard: AbortSignal, gracefulRampDown: number): Promise<void> {
  let iter = 0;
  const done = aborted(starting);
  while (!starting.aborted) {
    if (index >= target()) {
      await Promise.race([changed(), done]);
      continue;
    }
    // Its own signal, aborted by `hard` through a listener removed after the iteration: AbortSignal.any per
    // iteration keeps every dependent signal alive on Node 20 (memory grew ~1 KB per iteration).
    const own = new AbortController();
    const signal = own.signal;
    const onHard = (): void => own.abort(hard.reason);
    if (hard.aborted) onHard();
    else hard.addEventListener('abort', onHard, { once: true });
    // Ramped down mid-iteration: give it gracefulRampDown, then interrupt (k6 semantics).
    const watcher = new AbortController();
    void (async () => {
      while (!watcher.signal.aborted) {
        await Promise.race([changed(), aborted(watcher.signal)]);
        if (watcher.signal.aborted) return;
        if (index >= target()) {
          await ctx.clock.sleepUntil(millis(ctx.clock.now() + gracefulRampDown), watcher.signal).then(() => own.abort(new Error('gracefulRampDown elapsed')), () => undefined);
          return;
        }
      }
    })();
    ctx.vus.active++;
    let ok = false;
    try {
      ok = await ctx.iterate(vu, iter, ctx.clock.now(), signal);
    } finally {
      ctx.vus.active--;
      watcher.abort();
      hard.removeEventListener('abort', onHard);
    }
    iter++;
    if (!ok || iter % 16 === 0) await yieldToLoop();
  }
}
