/** @module scenarios/executors: constant-arrival-rate — `rate` iterations per `timeUnit` for `duration`, open model. */
import { runArrivals } from './arrival.js';
import { stopSignals, type ExecutorDefinition } from './context.js';

export const constantArrivalRate: ExecutorDefinition<'constant-arrival-rate'> = {
  name: 'constant-arrival-rate',
  async run(ctx, spec) {
    const end = ctx.startAt + spec.duration;
    const stop = stopSignals(ctx, end, spec.gracefulStop);
    const interval = spec.timeUnit / spec.rate;
    const next = (k: number): number | undefined => {
      const at = ctx.startAt + k * interval;
      return at < end ? at : undefined;
    };
    await runArrivals(ctx, spec.preAllocatedVUs, spec.maxVUs ?? spec.preAllocatedVUs, next, stop.starting, stop.hard);
    stop.dispose();
  },
};
