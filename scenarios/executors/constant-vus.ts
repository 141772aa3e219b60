/** @module scenarios/executors: constant-vus — `vus` VUs loop for `duration`. */
import { stopSignals, vuLoop, type ExecutorDefinition } from './context.js';

export const constantVus: ExecutorDefinition<'constant-vus'> = {
  name: 'constant-vus',
  async run(ctx, spec) {
    const stop = stopSignals(ctx, ctx.startAt + spec.duration, spec.gracefulStop);
    const loops: Promise<void>[] = [];
    for (let i = 0; i < spec.vus; i++) {
      const vu = ctx.vus.allocate();
      if (vu === undefined) break;
      loops.push(vuLoop(ctx, vu, stop.starting, stop.hard, () => true));
    }
    await Promise.all(loops);
    stop.dispose();
  },
};
