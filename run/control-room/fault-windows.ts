/** @module run/control-room: each planned fault with its real on/off times from the journal, for the timeline and the controls. */
import type { JournalEntry } from '../../core/index.js';
import type { Plan } from '../../plan/index.js';

export interface LiveFault {
  readonly name: string;
  readonly proxy: string;
  readonly toxic: string;
  readonly plannedStartMs: number;
  readonly plannedEndMs: number;
  /** Run offsets the journal says it went on and off (absent: not yet, or never). */
  readonly onMs?: number;
  readonly offMs?: number;
  /** The fault-off line's reason, e.g. ended early by an operator. */
  readonly offReason?: string;
  readonly active: boolean;
}

/** Pairs the journal's fault-on/fault-off lines (by fault name) with the plan's windows. */
export function liveFaults(plan: Plan, journal: readonly JournalEntry[], activeNames: readonly string[]): LiveFault[] {
  return plan.faults.map((f) => {
    const on = journal.find((e) => e.action === 'fault-on' && e.outcome === 'ok' && e.toxic === f.name);
    const off = on ? journal.find((e) => e.action === 'fault-off' && e.outcome === 'ok' && e.toxic === f.name && e.offsetMs >= on.offsetMs) : undefined;
    return {
      name: f.name, proxy: f.proxy, toxic: f.toxic, plannedStartMs: f.startMs, plannedEndMs: f.endMs,
      ...(on ? { onMs: on.offsetMs } : {}),
      ...(off ? { offMs: off.offsetMs, ...(off.reason ? { offReason: off.reason } : {}) } : {}),
      active: activeNames.includes(f.name),
    };
  });
}
