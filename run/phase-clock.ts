/** @module run: announces each phase at its start on the run clock (journal, collectors, listeners). */
import type { Clock } from '../core/index.js';
import { millis } from '../core/index.js';
import type { PhaseWindow } from '../plan/index.js';

/** Calls `onPhase` at each phase's start until done or aborted; resolves when the last phase has begun. */
export async function runPhases(phases: readonly PhaseWindow[], clock: Clock, signal: AbortSignal, onPhase: (phase: PhaseWindow) => void): Promise<void> {
  for (const phase of phases) {
    try {
      await clock.sleepUntil(millis(phase.startMs), signal);
    } catch {
      return;
    }
    onPhase(phase);
  }
}

/** The phase a run offset falls in ('run' for a plan without phases, 'after' past the last one). */
export function phaseAt(phases: readonly PhaseWindow[], atMs: number): string {
  if (phases.length === 0) return 'run';
  return phases.find((p) => atMs >= p.startMs && atMs < p.endMs)?.name ?? (atMs < (phases[0]?.startMs ?? 0) ? 'before' : 'after');
}
