/** @module scenarios/executors: the explicit registry of executors, by k6 name, and the one place a spec is narrowed. */
import type { ExecutorName, ScenarioSpec } from '../schema.js';
import type { ExecutorContext, ExecutorDefinition, SpecOf } from './context.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantVus } from './constant-vus.js';
import { externallyControlled } from './externally-controlled.js';
import { perVuIterations } from './per-vu-iterations.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { rampingVus } from './ramping-vus.js';
import { sharedIterations } from './shared-iterations.js';

/** Every executor name → the definition typed with that executor's own spec (a missing or mismatched entry does not compile). */
export type ExecutorRegistry = { readonly [N in ExecutorName]: ExecutorDefinition<N> };

export const EXECUTORS_BY_NAME: ExecutorRegistry = {
  'shared-iterations': sharedIterations,
  'per-vu-iterations': perVuIterations,
  'constant-vus': constantVus,
  'ramping-vus': rampingVus,
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'externally-controlled': externallyControlled,
};

/** The definition filed under `executor`: indexing the mapped registry with a generic `N` gives `ExecutorDefinition<N>`. */
function definitionOf<N extends ExecutorName>(executor: N): ExecutorDefinition<N> {
  return EXECUTORS_BY_NAME[executor];
}

/** Throws the executor's setup-time refusal (a CodeblueError) when the embedded engine cannot run this scenario. */
export function refuseUnrunnable(scenario: string, spec: ScenarioSpec): void {
  narrow(spec, (def, s) => def.refuse?.(scenario, s));
}

/** Runs scenario `ctx.name` with the executor its spec names. */
export function runExecutor(ctx: ExecutorContext, spec: ScenarioSpec): Promise<void> {
  return narrow(spec, (def, s) => def.run(ctx, s));
}

/**
 * The one narrowing point: `use` gets the definition filed under `spec.executor` together with the spec, typed as
 * that definition's variant. The registry's mapped type is what makes this sound — the entry under a name takes
 * exactly the spec with that `executor` — so no cast is needed (TypeScript's correlated-union pattern, #47109).
 */
function narrow<R>(spec: ScenarioSpec, use: <N extends ExecutorName>(def: ExecutorDefinition<N>, spec: SpecOf<N>) => R): R {
  return use(definitionOf(spec.executor), spec);
}
