/** @module plan: the plan file → a frozen, validated Plan. */
export { loadPlan, parsePlan, MAX_PLAN_BYTES } from './load.js';
export { planSchema, OUTPUTS } from './schema.js';
export { PHASE_ORDER, resolveTime } from './resolve-times.js';
export { renderStarterPlan } from './starter.js';
export { renderPlanJsonSchema } from './reference-render.js';
export { planLatencyBoundsMs } from './latency-bounds.js';
export type { Plan, PhaseName, PhaseWindow, ResolvedFault, ResolvedThreshold, ResolvedThresholdExpression } from './types.js';
export type { ProbeSpec } from './hypothesis-schema.js';
