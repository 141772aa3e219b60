/** @module plan: phase windows, and phase-relative fault times (`fault+10s`) → absolute offsets. */
import { parseDurationText } from '../core/units.js';
import { scenarioSpan } from '../scenarios/schema.js';
import type { ParsedPlan } from './schema.js';
import type { PhaseName, PhaseWindow } from './types.js';

export const PHASE_ORDER: readonly PhaseName[] = ['baseline', 'fault', 'recovery'];

/** Phases laid end to end from 0; empty when the plan has none. */
export function phaseWindows(plan: ParsedPlan): PhaseWindow[] {
  if (!plan.phases) return [];
  let start = 0;
  return PHASE_ORDER.map((name) => {
    const window = { name, startMs: start, endMs: start + (plan.phases as Record<PhaseName, number>)[name] };
    start = window.endMs;
    return window;
  });
}

/** The run's length: the phases' total, or else the end of the longest scenario including its graceful stop. */
export function runLength(plan: ParsedPlan, phases: readonly PhaseWindow[]): number {
  const last = phases[phases.length - 1];
  if (last) return last.endMs;
  return Math.max(0, ...Object.values(plan.scenarios).map((s) => s.startTime + scenarioSpan(s)));
}

export type TimeResult = { ok: true; ms: number } | { ok: false; message: string; hint?: string };

/** Resolves `30s`, `90000` (ms) or `fault+10s` / `recovery-5s` into an offset from run start. */
export function resolveTime(at: string | number, phases: readonly PhaseWindow[]): TimeResult {
  if (typeof at === 'number') return at >= 0 ? { ok: true, ms: at } : { ok: false, message: `must not be negative, but is ${at}` };
  const rel = /^\s*(baseline|fault|recovery)\s*(?:([+-])\s*(.+))?$/.exec(at);
  if (!rel) {
    const ms = parseDurationText(at);
    return ms === undefined ? { ok: false, message: `expected a time like "30s" or "fault+10s", got ${JSON.stringify(at)}` } : { ok: true, ms };
  }
  const phase = phases.find((p) => p.name === rel[1]);
  if (!phase) {
    return { ok: false, message: `"${at}" is relative to phase "${rel[1]}", but the plan has no phases`, hint: 'add phases: { baseline: 30s, fault: 60s, recovery: 30s }, or give an absolute time like "30s"' };
  }
  const offset = rel[3] === undefined ? 0 : parseDurationText(rel[3]);
  if (offset === undefined) return { ok: false, message: `"${rel[3]}" in "${at}" is not a duration like "10s"` };
  const ms = rel[2] === '-' ? phase.startMs - offset : phase.startMs + offset;
  return ms >= 0 ? { ok: true, ms } : { ok: false, message: `"${at}" is before the run starts` };
}
