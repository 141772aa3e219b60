/** @module plan: the resolved, frozen `Plan` every room receives. */
import type { DeepReadonly } from '../core/deep-readonly.js';
import type { MetricKey, ThresholdExpression } from '../core/threshold.js';
import type { FaultSpec } from '../chaos/schema.js';
import type { ParsedPlan } from './schema.js';

export type PhaseName = 'baseline' | 'fault' | 'recovery';

/** A phase on the run clock, in milliseconds from run start. */
export interface PhaseWindow {
  readonly name: PhaseName;
  readonly startMs: number;
  readonly endMs: number;
}

/** A fault with its name and absolute window on the run clock. */
export type ResolvedFault = Readonly<Omit<FaultSpec, 'name' | 'duration'>> & {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
};

export interface ResolvedThresholdExpression {
  readonly expression: ThresholdExpression;
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
}

/** One threshold key (metric + tag filter) with its parsed expressions. */
export interface ResolvedThreshold {
  readonly key: MetricKey;
  readonly expressions: readonly ResolvedThresholdExpression[];
}

/** The validated plan: defaults filled, times resolved, deeply frozen. */
export type Plan = DeepReadonly<Omit<ParsedPlan, 'phases' | 'faults' | 'thresholds'>> & {
  /** Path of the plan file it came from. */
  readonly file: string;
  /** Phases on the run clock; empty for a plain load test. */
  readonly phases: readonly PhaseWindow[];
  /** Length of the run: the phases' total, or the longest scenario (with its graceful stop). */
  readonly runLengthMs: number;
  readonly faults: readonly ResolvedFault[];
  readonly thresholds: readonly ResolvedThreshold[];
};
