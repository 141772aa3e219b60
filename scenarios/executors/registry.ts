/** @module scenarios/executors: the explicit list of executors, by k6 name. */
import type { ExecutorName } from '../schema.js';
import type { ExecutorDefinition } from './context.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantVus } from './constant-vus.js';
import { externallyControlled } from './externally-controlled.js';
import { perVuIterations } from './per-vu-iterations.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { rampingVus } from './ramping-vus.js';
import { sharedIterations } from './shared-iterations.js';

export const EXECUTOR_DEFINITIONS: readonly ExecutorDefinition[] = [sharedIterations, perVuIterations, constantVus, rampingVus, constantArrivalRate, rampingArrivalRate, externallyControlled];

export function executorFor(name: ExecutorName): ExecutorDefinition {
  return EXECUTOR_DEFINITIONS.find((e) => e.name === name) as ExecutorDefinition;
}
