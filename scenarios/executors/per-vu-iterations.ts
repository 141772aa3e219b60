/** @module scenarios/executors: per-vu-iterations — each of `vus` VUs runs `iterations` times, within `maxDuration`. */
import { stopSignals, vuLoop, type ExecutorDefinition } from './context.js';

export const perVuIterations: ExecutorDefinition = {
  name: 'per-vu-iterations',
  async run(ctx) {
    const spec = ctx.spec;
    if (spec.executor !== 'per-vu-iterations') throw new TypeError('executor mismatch');
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
