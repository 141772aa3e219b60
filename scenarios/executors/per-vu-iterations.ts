/** @module scenarios/executors: per-vu-iterations — each of `vus` VUs runs `iterations` times, within `maxDuration`. */
import { stopSignals, vuLoop, type ExecutorDefinition } from './context.js';

export const perVuIterations: ExecutorDefinition<'per-vu-iterations'> = {
  name: 'per-vu-iterations',
  async run(ctx, spec) {
    const stop = stopSignals(ctx, ctx.startAt + spec.maxDuration, spec.gracefulStop);
    const loops: Promise<void>[] = [];
    for (let i = 0; i < spec.vus; i++) {
      const vu = ctx.vus.allocate();
      if (vu === undefined) break;
      loops.push(vuLoop(ctx, vu, stop.starting, stop.hard, (iter) => iter < spec.iterations));
    }
    await Promise.all(loops);
    stop.dispose();
  },
};
