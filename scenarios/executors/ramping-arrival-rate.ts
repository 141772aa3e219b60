/** @module scenarios/executors: ramping-arrival-rate — the rate follows `stages` linearly from `startRate`, open model. */
import { runArrivals } from './arrival.js';
import { stopSignals, type ExecutorDefinition } from './context.js';

/**
 * Offset (ms into the scenario) of the k-th arrival: where the integral of the rate reaches k
 * (k = 0 is at 0 when startRate > 0). Undefined once past the last stage.
 */
export function rampingArrivalAt(startRate: number, stages: readonly { duration: number; target: number }[], timeUnit: number, k: number): number | undefined {
  const need0 = startRate > 0 ? k : k + 1;
  let cum = 0;
  let at = 0;
  let from = startRate / timeUnit;
  for (const st of stages) {
    const to = st.target / timeUnit;
    const d = st.duration;
    const stageCount = ((from + to) / 2) * d;
    const need = need0 - cum;
    if (need <= stageCount + 1e-9 && stageCount > 0) {
      const a = (to - from) / (2 * d);
      const t = Math.abs(a) < 1e-15 ? need / from : (-from + Math.sqrt(Math.max(0, from * from + 4 * a * need))) / (2 * a);
      // An arrival exactly on a stage's end (within float error) belongs to the next stage, or to no one at the end.
      if (t < d - 1e-6) return at + t;
    }
    cum += stageCount;
    at += d;
    from = to;
  }
  return undefined;
}

export const rampingArrivalRate: ExecutorDefinition<'ramping-arrival-rate'> = {
  name: 'ramping-arrival-rate',
  async run(ctx, spec) {
    const span = spec.stages.reduce((s, st) => s + st.duration, 0);
    const stop = stopSignals(ctx, ctx.startAt + span, spec.gracefulStop);
    const next = (k: number): number | undefined => {
      const t = rampingArrivalAt(spec.startRate, spec.stages, spec.timeUnit, k);
      return t === undefined ? undefined : ctx.startAt + t;
    };
    await runArrivals(ctx, spec.preAllocatedVUs, spec.maxVUs ?? spec.preAllocatedVUs, next, stop.starting, stop.hard);
    stop.dispose();
  },
};
