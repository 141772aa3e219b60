/**
 * @module reports/evaluate: HL7 messages of `mllp` steps as their own event kind — per-second columns, per-scope
 * tables and resilience, by the same rules as HTTP requests (`hl7_msgs`, `hl7_msg_duration`, `hl7_msg_failed`).
 */
import type { FaultWindow, Hl7Columns, Hl7Section, PhaseResult } from '../results/types.js';
import type { LoadQuery, SecondRow } from './input.js';
import { buildPhaseTables } from './phase-tables.js';
import { evaluateResilience } from './resilience.js';
import type { Scope } from './scopes.js';
import { round2 } from './timeline.js';

const STEP_MS = 1000;

/** One slot per second of the run (`seconds` = the main timeline's length). */
function hl7Columns(rows: readonly SecondRow[], seconds: number): Hl7Columns {
  const messages = new Array<number>(seconds).fill(0);
  const failed = new Array<number>(seconds).fill(0);
  const failedRate = new Array<number>(seconds).fill(0);
  const p50Ms = new Array<number | null>(seconds).fill(null);
  const p95Ms = new Array<number | null>(seconds).fill(null);
  const p99Ms = new Array<number | null>(seconds).fill(null);
  for (const row of rows) {
    const i = Math.floor(row.startMs / STEP_MS);
    if (i < 0 || i >= seconds || row.count === 0) continue;
    messages[i] = row.count;
    failed[i] = row.failed;
    failedRate[i] = row.failed / row.count;
    p50Ms[i] = round2(row.p50Ms);
    p95Ms[i] = round2(row.p95Ms);
    p99Ms[i] = round2(row.p99Ms);
  }
  return { messages, failed, failedRate, p50Ms, p95Ms, p99Ms };
}

/**
 * The `hl7` section of results.json, or undefined when the source lists no HL7 step (no `mllp` step ran, or a
 * source such as real k6 that keeps no HL7 series).
 */
export function buildHl7Section(
  load: LoadQuery, scopes: readonly Scope[], phases: readonly PhaseResult[], faults: readonly FaultWindow[], runMs: number,
): Hl7Section | undefined {
  const endpoints = load.hl7Endpoints?.() ?? [];
  if (!endpoints.length) return undefined;
  const seconds = Math.max(1, Math.ceil(runMs / STEP_MS));
  const scenarios: Record<string, Hl7Columns> = {};
  for (const scenario of [...new Set(endpoints.map((e) => e.scenario))].sort()) {
    scenarios[scenario] = hl7Columns(load.perSecond({ scenario, events: 'hl7' }), seconds);
  }
  return {
    timeline: { overall: hl7Columns(load.perSecond({ events: 'hl7' }), seconds), scenarios },
    phaseTables: buildPhaseTables(load, scopes, 'hl7'),
    resilience: evaluateResilience(load, phases, faults, runMs, 'hl7'),
  };
}
