import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { scenarioSchema } from '../schema.js';
import { VuPool, type ExecutorContext } from './context.js';
import { runExecutor } from './registry.js';

const steps = [{ name: 'health', request: { path: '/health' } }];

/** A context whose iterations finish in a microtask (every request failing at once, no I/O at all). */
function instantContext(ok: boolean, runStop = new AbortController().signal): { ctx: ExecutorContext; count: () => number } {
  let n = 0;
  const clock = systemClock();
  const ctx: ExecutorContext = {
    name: 's', clock, startAt: clock.now(), runStop, vus: new VuPool(20),
    iterate: async () => {
      n++;
      return ok;
    },
    dropped: () => undefined,
  };
  return { ctx, count: () => n };
}

describe('executors with iterations that do no I/O', () => {
  for (const raw of [
    { executor: 'constant-vus', vus: 3, duration: '300ms' },
    { executor: 'ramping-vus', startVUs: 3, stages: [{ duration: '300ms', target: 3 }] },
  ]) {
    for (const ok of [true, false]) {
      it(`${raw.executor} (${ok ? 'completed' : 'interrupted'} iterations) yields to timers and stops at its duration`, { timeout: 30_000 }, async () => {
        const { ctx, count } = instantContext(ok);
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 20);
        const started = Date.now();
        await runExecutor(ctx, scenarioSchema.parse({ ...raw, steps }));
        clearInterval(ticker);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(count()).toBeGreaterThan(0);
        expect(ticks).toBeGreaterThanOrEqual(2);
      });
    }
  }

  it('a run stop ends a long constant-vus scenario of instant iterations promptly', { timeout: 30_000 }, async () => {
    const stop = new AbortController();
    const { ctx, count } = instantContext(true, stop.signal);
    const run = runExecutor(ctx, scenarioSchema.parse({ executor: 'constant-vus', vus: 3, duration: '60s', steps }));
    setTimeout(() => stop.abort(new Error('stop')), 100);
    const started = Date.now();
    await run;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(count()).toBeGreaterThan(0);
  });
});
