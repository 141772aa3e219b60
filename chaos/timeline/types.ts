/** @module chaos/timeline: the faults a timeline runs (plan/ resolves them; this is the shape chaos accepts). */
import type { FaultSpec } from '../schema.js';

/** A fault with its name and absolute window on the run clock (ms from run start). */
export type ResolvedFault = Readonly<Omit<FaultSpec, 'name' | 'duration'>> & {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
};

/** The prefix of every proxy and toxic a run creates: `cb-<runId>-`. */
export function runPrefix(runId: string): string {
  return `cb-${runId}-`;
}
