/** @module scenarios/executors: the open model shared by both arrival-rate executors — free VUs, drops, scheduling. */
import { millis } from '../../core/units.js';
import type { ExecutorContext } from './context.js';

/**
 * Starts an iteration at each time `nextArrival(k)` yields (run offsets, ms; undefined = no more) on a free VU.
 * No free VU → the arrival is dropped (k6 `dropped_iterations`) and one more VU is allocated, up to `maxVUs`.
 * Iterations keep their scheduled time, so a late start shows up in the corrected latency.
 */
export async function runArrivals(ctx: ExecutorContext, preAllocated: number, maxVUs: number, nextArrival: (k: number) => number | undefined, starting: AbortSignal, hard: AbortSignal): Promise<void> {
  const free: number[] = [];
  const iters = new Map<number, number>();
  let own = 0;
  const allocate = (): void => {
    if (own >= maxVUs) return;
    const vu = ctx.vus.allocate();
    if (vu === undefined) return;
    own++;
    free.push(vu);
    iters.set(vu, 0);
  };
  for (let i = 0; i < preAllocated; i++) allocate();
  const running = new Set<Promise<void>>();
  for (let k = 0; ; k++) {
    const at = nextArrival(k);
    if (at === undefined || starting.aborted) break;
    if (at > ctx.clock.now()) {
      try {
        await ctx.clock.sleepUntil(millis(at), starting);
      } catch {
        break;
      }
    }
    const vu = free.pop();
    if (vu === undefined) {
      ctx.dropped(at);
      allocate();
      continue;
    }
    const iter = iters.get(vu) as number;
    iters.set(vu, iter + 1);
    ctx.vus.active++;
    const p: Promise<void> = ctx.iterate(vu, iter, at, hard).then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      ctx.vus.active--;
      free.push(vu);
      running.delete(p);
    });
    running.add(p);
  }
  await Promise.all(running);
}
