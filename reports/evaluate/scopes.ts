/** @module reports/evaluate: the windows a run is judged in — fault windows from the journal, phases, the whole run. */
import type { JournalEntry } from '../../core/index.js';
import type { FaultWindow, PhaseResult } from '../results/types.js';
import type { FaultInput, PhaseInput } from './input.js';

export interface Scope {
  /** `run`, a phase name, or `fault:<name>`. */
  readonly scope: string;
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Fault windows as they ran: each ok `fault-on` paired with the next `fault-off` of the same proxy and toxic
 * (a fault never switched off ends at the run's end). Without any fault-on in the journal, the plan's windows.
 */
export function faultWindows(journal: readonly JournalEntry[], planned: readonly FaultInput[], runMs: number): FaultWindow[] {
  const byName = new Map(planned.map((f) => [f.name, f]));
  const open = new Map<string, JournalEntry>();
  const windows: FaultWindow[] = [];
  const close = (on: JournalEntry, endMs: number): void => {
    const plan = byName.get(on.toxic ?? '');
    windows.push({
      name: on.toxic ?? plan?.name ?? 'fault', proxy: plan?.proxy ?? on.proxy ?? '', toxic: on.type ?? plan?.toxic ?? '',
      stream: on.stream ?? plan?.stream ?? null, attributes: { ...(plan?.attributes ?? {}), ...(on.attributes ?? {}) },
      startMs: on.offsetMs, endMs: Math.max(on.offsetMs, endMs), source: 'journal',
    });
  };
  for (const entry of journal) {
    const key = `${entry.proxy ?? ''}\u0000${entry.toxic ?? ''}`;
    if (entry.action === 'fault-on' && entry.outcome === 'ok') open.set(key, entry);
    if (entry.action === 'fault-off') {
      const on = open.get(key);
      if (on) close(on, entry.offsetMs);
      open.delete(key);
    }
  }
  for (const on of open.values()) close(on, runMs);
  if (windows.length === 0 && !journal.some((e) => e.action === 'fault-on')) {
    for (const f of planned) {
      if (f.startMs >= runMs) continue;
      windows.push({
        name: f.name, proxy: f.proxy, toxic: f.toxic, stream: f.stream ?? null, attributes: { ...(f.attributes ?? {}) },
        startMs: f.startMs, endMs: Math.min(f.endMs, runMs), source: 'plan',
      });
    }
  }
  return windows.sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name));
}

/** Phases clipped to the run's real length (an interrupted run ends early). */
export function clipPhases(phases: readonly PhaseInput[], runMs: number): PhaseResult[] {
  return phases
    .filter((p) => p.startMs < runMs)
    .map((p) => ({ name: p.name, startMs: p.startMs, endMs: Math.min(p.endMs, runMs) }));
}

/** Whole run, then each phase, then each fault window. */
export function scopesOf(runMs: number, phases: readonly PhaseResult[], faults: readonly FaultWindow[]): Scope[] {
  return [
    { scope: 'run', label: 'whole run', startMs: 0, endMs: runMs },
    ...phases.map((p) => ({ scope: p.name, label: p.name, startMs: p.startMs, endMs: p.endMs })),
    ...faults.map((f) => ({ scope: `fault:${f.name}`, label: `fault "${f.name}"`, startMs: f.startMs, endMs: f.endMs })),
  ];
}
