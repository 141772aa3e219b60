/**
 * @module reports/results: the zod schema of `results.json` — the validator. `results.schema.json` (draft 2020-12)
 * is generated from it (`npx tsx reports/results/write-schema.ts`) and a test keeps the two identical.
 */
import { z } from 'zod';

const num = z.number();
const count = z.number().int().min(0);
const nullableNum = z.number().nullable();
const ratio01 = z.number().min(0).max(1);
const window = { startMs: num, endMs: num };

const runMeta = z.object({
  name: z.string(), runId: z.string(), planFile: z.string(), target: z.string(),
  startedAt: z.string(), endedAt: z.string(), durationMs: num.min(0), exitCode: z.number().int(),
  status: z.enum(['passed', 'failed', 'halted', 'interrupted']), haltReason: z.string().nullable(),
}).strict();

const series = z.object({
  requests: z.array(count), failed: z.array(count), errorRate: z.array(ratio01),
  p50Ms: z.array(nullableNum), p95Ms: z.array(nullableNum), p99Ms: z.array(nullableNum),
  vus: z.array(nullableNum), droppedIterations: z.array(count),
}).strict();

const endpointRow = z.object({
  scenario: z.string(), request: z.string(), count, failures: count, errorRate: ratio01,
  p50Ms: nullableNum, p95Ms: nullableNum, p99Ms: nullableNum, maxMs: nullableNum,
}).strict();

const verdict = z.object({
  kind: z.enum(['slo', 'threshold', 'check', 'hypothesis', 'trace-assertion', 'phi', 'ledger', 'halt']),
  name: z.string(), phase: z.string().nullable(), pass: z.boolean(), observed: nullableNum,
  expected: z.string(), message: z.string(),
}).strict();

const sloScope = z.object({
  ...window, scope: z.string(), label: z.string(), total: count, good: count, bad: count, ratio: ratio01.nullable(),
  pass: z.boolean(), burnRate: num.min(0), budgetConsumed: num.min(0), estimated: z.boolean(),
}).strict();

const burnAlert = z.object({
  severity: z.enum(['page', 'ticket']), longWindowMs: num, shortWindowMs: num, factor: num, budgetShare: ratio01,
  firesIfSustained: z.boolean(), firedDuringDrill: z.boolean().nullable(), firstFiredAtMs: nullableNum,
}).strict();

const budget = z.object({
  windowMs: num, eventsPerSecond: num.min(0), budgetEvents: num.min(0), consumedEvents: count,
  consumedFraction: num.min(0), budgetTimeMs: num.min(0), consumedTimeMs: num.min(0), burnRate: num.min(0),
  worstScope: z.string(), worstBurnRate: num.min(0), exhaustsAfterMs: nullableNum, sentence: z.string(),
  alerts: z.array(burnAlert),
}).strict();

const slo = z.object({
  name: z.string(), description: z.string().nullable(), sli: z.enum(['availability', 'latency']),
  thresholdMs: nullableNum, objective: ratio01, windowMs: num,
  filter: z.object({ scenario: z.string().optional(), request: z.string().optional(), service: z.string().optional() }).strict().nullable(),
  source: z.enum(['load', 'spans']), pass: z.boolean(), scopes: z.array(sloScope), budget,
}).strict();

const health = z.object({ requests: count, rps: num.min(0), errorRate: ratio01, p95Ms: nullableNum }).strict();

const faultResilience = z.object({
  ...window, fault: z.string(), proxy: z.string(), toxic: z.string(), baseline: health.nullable(), during: health,
  p95DeltaMs: nullableNum, p95Ratio: nullableNum, errorRateDelta: nullableNum, recovered: z.boolean(),
  recoveredAtMs: nullableNum, timeToRecoverMs: nullableNum, score: z.number().min(0).max(100).nullable(),
  penalties: z.object({ errors: ratio01, latency: ratio01, recovery: ratio01 }).strict().nullable(),
}).strict();

const journalEntry = z.object({
  time: z.string(), offsetMs: num,
  action: z.enum(['run-start', 'phase-start', 'proxy-create', 'proxy-delete', 'fault-on', 'fault-off', 'halt', 'hypothesis',
    'rollback-start', 'rollback-verified', 'incident', 'run-end']),
  outcome: z.enum(['ok', 'error']), phase: z.string().optional(), proxy: z.string().optional(), toxic: z.string().optional(),
  type: z.string().optional(), stream: z.enum(['upstream', 'downstream']).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(), reason: z.string().optional(), error: z.string().optional(),
  leftovers: z.array(z.string()).optional(),
}).strict();

export const runResultsSchema = z.object({
  schemaVersion: z.literal(1),
  meta: runMeta,
  phases: z.array(z.object({ ...window, name: z.string() }).strict()),
  faults: z.array(z.object({
    ...window, name: z.string(), proxy: z.string(), toxic: z.string(), stream: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()), source: z.enum(['journal', 'plan']),
  }).strict()),
  timeline: z.object({
    stepMs: z.number().positive(), startMs: z.array(num), overall: series, scenarios: z.record(z.string(), series),
    services: z.record(z.string(), z.object({ count: z.array(count), p95Ms: z.array(nullableNum) }).strict()),
  }).strict(),
  servicePhases: z.array(z.object({
    phase: z.string(), service: z.string(), count, errors: count, p50Ms: nullableNum, p95Ms: nullableNum, p99Ms: nullableNum,
  }).strict()),
  phaseTables: z.array(z.object({ ...window, scope: z.string(), label: z.string(), rows: z.array(endpointRow), total: endpointRow }).strict()),
  verdicts: z.array(verdict),
  slos: z.array(slo),
  resilience: z.object({ faults: z.array(faultResilience), score: z.number().min(0).max(100).nullable() }).strict(),
  phi: z.object({
    total: count, byRule: z.record(z.string(), count), scannedSpans: count, scannedLogs: count,
    findings: z.array(z.object({
      location: z.string(), traceId: z.string(), spanName: z.string(), service: z.string(), key: z.string(),
      rule: z.string(), masked: z.string(),
    }).strict()),
  }).strict().nullable(),
  ledger: z.object({ checked: count, missingIds: z.array(z.string()), changedIds: z.array(z.string()) }).strict().nullable(),
  join: z.object({ total: count, withServerSpan: count, missing: count, missingFraction: ratio01 }).strict().nullable(),
  journal: z.array(journalEntry),
}).strict();

/** The JSON Schema (draft 2020-12) text of results.json, as committed in reports/results.schema.json. */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(runResultsSchema, { target: 'draft-2020-12' }),
    $id: 'https://codeblue.dev/schemas/results.schema.json',
    title: 'codeblue run results (results.json)',
  };
}
