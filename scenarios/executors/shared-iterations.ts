/** @module scenarios/executors: shared-iterations — `vus` VUs share `iterations` in total, within `maxDuration`. */
import { stopSignals, vuLoop, type ExecutorDefinition } from './context.js';

export const sharedIterations: ExecutorDefinition<'shared-iterations'> = {
  name: 'shared-iterations',
  async run(ctx, spec) {
    const stop = stopSignals(ctx, ctx.startAt + spec.maxDuration, spec.gracefulStop);
    let taken = 0;
    const loops: Promise<void>[] = [];
    for (let i = 0; i < Math.min(spec.vus, spec.iterations); i++) {
      const vu = ctx.vus.allocate();
      if (vu === undefined) break;
      loops.push(vuLoop(ctx, vu, stop.starting, stop.hard, () => (taken < spec.iterations ? (taken++, true) : false)));
    }
    await Promise.all(loops);
    stop.dispose();
  },
};
