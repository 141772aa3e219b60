/**
 * @module reports/results: the zod schema of `results.json` — the validator and the one source of its types
 * (`types.ts` derives them with `z.output`). `results.schema.json` (draft 2020-12) is generated from it
 * (`npx tsx reports/results/write-schema.ts`) and a test keeps the two identical.
 */
import { z } from 'zod';

const num = z.number();
const count = z.number().int().min(0);
const nullableNum = z.number().nullable();
const ratio01 = z.number().min(0).max(1);
const score100 = z.number().min(0).max(100).nullable();

/** A window on the run clock (ms from run start). */
const spanSchema = z.object({ startMs: num, endMs: num }).strict();
const window = spanSchema.shape;

export const runStatusSchema = z.enum(['passed', 'failed', 'halted', 'interrupted']);
export const verdictKindSchema = z.enum(['slo', 'threshold', 'check', 'hypothesis', 'trace-assertion', 'phi', 'ledger', 'halt', 'load']);

/** Who ran what, when, and how it ended. Times are ISO-8601 wall time; durations in ms. */
export const runMetaSchema = z.object({
  name: z.string(), runId: z.string(), planFile: z.string(), target: z.string(),
  startedAt: z.string(), endedAt: z.string(), durationMs: num.min(0), exitCode: z.number().int(),
  status: runStatusSchema, haltReason: z.string().nullable(),
  /** Requests codeblue itself cut off in flight (Ctrl-C, halt, end of run); not in any error rate. */
  abortedRequests: count.optional(),
  /** The run's Prometheus /metrics URL while it ran. */
  metricsUrl: z.string().optional(),
}).strict();

export const phaseResultSchema = z.object({ ...window, name: z.string() }).strict();

/** A fault as it actually ran: from the journal's fault-on/fault-off, else from the plan. */
export const faultWindowSchema = z.object({
  ...window, name: z.string(), proxy: z.string(), toxic: z.string(), stream: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()), source: z.enum(['journal', 'plan']),
}).strict();

/** Columnar per-second series; index i is second `startMs[i]` of the timeline. Latency null = no request that second. */
export const seriesColumnsSchema = z.object({
  requests: z.array(count), failed: z.array(count), errorRate: z.array(ratio01),
  p50Ms: z.array(nullableNum), p95Ms: z.array(nullableNum), p99Ms: z.array(nullableNum),
  vus: z.array(nullableNum), droppedIterations: z.array(count),
  /** Requests by the second of their scheduled (intended) start; `requests` counts them when they finished (k6). Absent when the engine does not tell. */
  requestsByIntendedStart: z.array(count).optional(),
  /** p95/p99 from the intended start (`http_req_duration_corrected`), per second of completion. Absent when the load source does not keep it (real k6). */
  p95IntendedMs: z.array(nullableNum).optional(),
  p99IntendedMs: z.array(nullableNum).optional(),
}).strict();

export const serviceColumnsSchema = z.object({ count: z.array(count), p95Ms: z.array(nullableNum) }).strict();

export const timelineSchema = z.object({
  /** Bucket width (1000). */
  stepMs: z.number().positive(),
  startMs: z.array(num),
  overall: seriesColumnsSchema,
  scenarios: z.record(z.string(), seriesColumnsSchema),
  /** Per-service server span latency per second (empty when the orchestrator had no per-second span data). */
  services: z.record(z.string(), serviceColumnsSchema),
}).strict();

/** Span latency of one service in one phase (from the collectors' aggregates). */
export const servicePhaseRowSchema = z.object({
  phase: z.string(), service: z.string(), count, errors: count, p50Ms: nullableNum, p95Ms: nullableNum, p99Ms: nullableNum,
}).strict();

/** One endpoint (scenario × request name) in one phase. */
export const endpointRowSchema = z.object({
  scenario: z.string(), request: z.string(), count, failures: count, errorRate: ratio01,
  p50Ms: nullableNum, p95Ms: nullableNum, p99Ms: nullableNum, maxMs: nullableNum,
  /** Latency from the intended start (`http_req_duration_corrected`); above the raw values when the generator or the target stalled. */
  p95CorrectedMs: nullableNum.optional(),
  p99CorrectedMs: nullableNum.optional(),
}).strict();

/** One request kept as an example: its trace id (as sent in `traceparent`) and timings (ms on the run clock). */
export const exemplarSchema = z.object({
  traceId: z.string(), scenario: z.string(), request: z.string(),
  /** When the open model meant it to start. */
  intendedStartMs: num,
  /** When it was written to a connection. */
  startMs: num,
  /** k6 `http_req_duration` (raw). */
  durationMs: num,
  /** From the intended start (`http_req_duration_corrected`). */
  correctedDurationMs: num,
  /** HTTP status, 0 when no response arrived. */
  status: z.number().int(),
  failed: z.boolean(),
}).strict();

/** Per endpoint in one window: the slowest requests, and the kept request closest to each percentile. */
export const endpointExemplarsSchema = z.object({
  scenario: z.string(), request: z.string(),
  /** Slowest first. */
  slowest: z.array(exemplarSchema),
  /** Closest to the window's p50/p95/p99 (raw) among the requests kept; null without requests. */
  near: z.object({ p50: exemplarSchema.nullable(), p95: exemplarSchema.nullable(), p99: exemplarSchema.nullable() }).strict(),
}).strict();

/** Exemplars of one window (the run, a phase, or `fault:<name>`); requests belong to the window of their intended start. */
export const windowExemplarsSchema = z.object({
  ...window, label: z.string(),
  /** Slowest requests of the window across endpoints, slowest first. */
  slowest: z.array(exemplarSchema),
  endpoints: z.array(endpointExemplarsSchema),
}).strict();

/** `scope`: `run`, a phase name, or `fault:<name>` for one fault window. */
export const phaseTableSchema = z.object({
  ...window, scope: z.string(), label: z.string(), rows: z.array(endpointRowSchema), total: endpointRowSchema,
}).strict();

export const verdictSchema = z.object({
  kind: verdictKindSchema,
  name: z.string(), phase: z.string().nullable(), pass: z.boolean(), observed: nullableNum,
  expected: z.string(), message: z.string(),
  /**
   * `false`: information only — a failure is reported but does not fail the run (an SLO window outside the SLO's
   * `scope`, a PHI finding under `compliance.onFinding: warn`, the PHI scan turned off). Absent: gates the run.
   */
  gating: z.boolean().optional(),
}).strict();

/** One SLO in one scope (run, phase or fault window). Budget maths: see reports/README.md. */
export const sloScopeResultSchema = z.object({
  ...window, scope: z.string(), label: z.string(), total: count, good: count, bad: count,
  /** good / total; null when there were no events. */
  ratio: ratio01.nullable(),
  pass: z.boolean(),
  /** (bad / total) / (1 − objective); 0 without events. */
  burnRate: num.min(0),
  /** bad / budgetEvents: the share of the window's error budget this scope used. */
  budgetConsumed: num.min(0),
  /** True when the ratio comes from a latency summary (spans) rather than exact counts. */
  estimated: z.boolean(),
  /** True when this window gates the SLO's verdict (its `scope`); false = shown as information. */
  gating: z.boolean(),
}).strict();

export const burnAlertSchema = z.object({
  severity: z.enum(['page', 'ticket']), longWindowMs: num, shortWindowMs: num, factor: num,
  /** Share of the budget this alert catches being spent in its long window (SRE workbook). */
  budgetShare: ratio01,
  /** The worst scope's burn rate ≥ factor: fires if that failure rate lasted the long window. */
  firesIfSustained: z.boolean(),
  /** Both windows ≥ factor at some second of the drill, healthy traffic assumed around it; null = not computable. */
  firedDuringDrill: z.boolean().nullable(),
  firstFiredAtMs: nullableNum,
}).strict();

export const errorBudgetSchema = z.object({
  windowMs: num,
  /** Events per second in the drill, extrapolated over the window. */
  eventsPerSecond: num.min(0),
  budgetEvents: num.min(0), consumedEvents: count, consumedFraction: num.min(0),
  /** (1 − objective) × window: the allowed "bad time". */
  budgetTimeMs: num.min(0),
  consumedTimeMs: num.min(0), burnRate: num.min(0),
  /** Scope with the highest burn rate, and that rate. */
  worstScope: z.string(), worstBurnRate: num.min(0),
  /** window / worst burn rate; null when nothing failed. */
  exhaustsAfterMs: nullableNum,
  sentence: z.string(),
  alerts: z.array(burnAlertSchema),
}).strict();

export const sloResultSchema = z.object({
  name: z.string(), description: z.string().nullable(), sli: z.enum(['availability', 'latency']),
  thresholdMs: nullableNum,
  /** Latency SLIs: measured from the actual start (`start`, k6 `http_req_duration`) or the intended start (`intended`). */
  latencyFrom: z.enum(['start', 'intended']).optional(),
  objective: ratio01, windowMs: num,
  filter: z.object({ scenario: z.string().optional(), request: z.string().optional(), service: z.string().optional() }).strict().nullable(),
  source: z.enum(['load', 'spans']),
  /** `slos[].events: hl7`: the SLO counted HL7 messages of `mllp` steps (absent = HTTP requests). */
  events: z.literal('hl7').optional(),
  /** `slos[].scope`: which windows gate `pass` (all-windows, run, phases, steady-state, baseline). */
  scope: z.enum(['all-windows', 'run', 'phases', 'steady-state', 'baseline']),
  /** Every gating window passed. */
  pass: z.boolean(),
  scopes: z.array(sloScopeResultSchema),
  budget: errorBudgetSchema,
}).strict();

export const healthSchema = z.object({
  requests: count, rps: num.min(0), errorRate: ratio01, p95Ms: nullableNum,
  /** Absent in results.json written before the p50 delta. */
  p50Ms: nullableNum.optional(),
}).strict();

export const faultResilienceSchema = z.object({
  ...window, fault: z.string(), proxy: z.string(), toxic: z.string(), baseline: healthSchema.nullable(), during: healthSchema,
  p95DeltaMs: nullableNum, p95Ratio: nullableNum, errorRateDelta: nullableNum, recovered: z.boolean(),
  /** During − baseline p50 (absent in results.json written before it). */
  p50DeltaMs: nullableNum.optional(),
  recoveredAtMs: nullableNum, timeToRecoverMs: nullableNum,
  /** 0–100, formula in reports/README.md; null without a baseline. */
  score: score100,
  penalties: z.object({ errors: ratio01, latency: ratio01, recovery: ratio01 }).strict().nullable(),
}).strict();

export const resilienceSchema = z.object({ faults: z.array(faultResilienceSchema), score: score100 }).strict();

/** A service × span name in one window; self = duration minus the union of the span's children. */
const spanWindowStatsSchema = z.object({
  count, errors: count, errorRate: ratio01, p50Ms: num, p95Ms: num, selfP50Ms: num, selfP95Ms: num,
  /** Total self time in the window ÷ traces (root spans) that started in it: this span's own time per request. */
  selfMsPerTrace: nullableNum,
}).strict();

/** What one service × span name changed in a fault window against the baseline. Deltas are during − baseline. */
export const attributionRowSchema = z.object({
  service: z.string(), span: z.string(),
  /** OTLP span kind: internal, server, client, producer, consumer, unspecified. */
  kind: z.string(),
  baseline: spanWindowStatsSchema.nullable(), during: spanWindowStatsSchema.nullable(),
  countDelta: z.number().int(), errorRateDelta: nullableNum,
  p50DeltaMs: nullableNum, p95DeltaMs: nullableNum, selfP50DeltaMs: nullableNum, selfP95DeltaMs: nullableNum,
  /** Self ms per request added by this span (the ranking key). */
  addedMsPerTrace: nullableNum,
  /** Its part of the added time: addedMsPerTrace ÷ the sum of every positive addedMsPerTrace; null when nothing was added. */
  share: ratio01.nullable(),
}).strict();

/** Fault attribution: which spans took the added time in one fault window, biggest contribution first. */
export const faultAttributionSchema = z.object({
  ...window, fault: z.string(),
  baselineWindow: spanSchema,
  baselineTraces: count, faultTraces: count,
  /** Sum of the positive addedMsPerTrace: request time the fault added, counted where it was spent. */
  addedMsPerTrace: num,
  /** At most 20 rows: the biggest contributions, then the biggest error increases. */
  rows: z.array(attributionRowSchema),
}).strict();

/** One span of a waterfall; times in ms from the trace's first span start. */
const waterfallSpanSchema = z.object({
  spanId: z.string(), parentSpanId: z.string(), depth: count, service: z.string(), name: z.string(), kind: z.string(),
  offsetMs: num, durationMs: num.min(0), selfMs: num.min(0), error: z.boolean(),
  /** On the critical path: the chain of spans that made the trace as long as it was. */
  critical: z.boolean(),
}).strict();

/** A trace drawn as a waterfall in the report (`codeblue trace <run-dir> <traceId>` prints any trace). */
export const traceWaterfallSchema = z.object({
  traceId: z.string(),
  /** The fault window it was picked from (null: the baseline). */
  fault: z.string().nullable(),
  /** `slowest`: among the slowest root spans of the window. */
  source: z.enum(['slowest', 'exemplar']),
  /** Run offset of its first span. */
  startMs: num, durationMs: num.min(0),
  /** Spans left out (past 200), critical path kept first. */
  omitted: count,
  spans: z.array(waterfallSpanSchema),
}).strict();

/** Findings of one rule in one service under one attribute key. */
const phiGroupSchema = z.object({
  rule: z.string(), service: z.string(), key: z.string(),
  /** Where the first one was: `span.attribute`, `span.event`, `log.body`, … */
  location: z.string(),
  count,
  /** The first few distinct trace ids. */
  traceIds: z.array(z.string()),
  /** The first finding's masked value. */
  masked: z.string(),
}).strict();

export const phiSectionSchema = z.object({
  /** `off`: the plan turned the scan off (`compliance.phiScan: off`); every count is 0. */
  scan: z.enum(['on', 'off']),
  /** `warn`: findings are reported but do not fail the run (`compliance.onFinding`). */
  onFinding: z.enum(['fail', 'warn']),
  /** Findings, allow-listed ones excluded. */
  total: count,
  /** Findings `compliance.allow` matched (ignored). */
  allowed: count,
  byRule: z.record(z.string(), count), scannedSpans: count, scannedLogs: count,
  /** Findings beyond the scanner's group limit (in `total`, in no group). */
  ungrouped: count,
  /** rule × service × key, biggest first. */
  groups: z.array(phiGroupSchema),
}).strict();

export const ledgerSectionSchema = z.object({
  /** Resources read back. */
  checked: count,
  /** Acknowledged writes counted through the run (an update of a resource counts again); absent in older runs. */
  acknowledged: count.optional(),
  /** Which writes were read back, in one sentence: all of them, or a uniform sample once the ledger's cap was passed. */
  rule: z.string().optional(),
  missingIds: z.array(z.string()), changedIds: z.array(z.string()),
}).strict();

/** Which raw spans the run kept (`collectors.spans`), by what rule, of how many seen. */
export const spanSamplingSchema = z.object({
  keep: z.enum(['sampled', 'all', 'none']),
  /** The rule in one sentence. */
  rule: z.string(),
  reservoirPerSecond: num,
  slowestPerSecond: count,
  tracesSeen: count, tracesKept: count, spansSeen: count, spansKept: count,
  /** spansKept ÷ spansSeen. */
  keptFraction: ratio01,
  /** Traces by the first rule that kept them. */
  byReason: z.object({ all: count, error: count, exemplar: count, slowest: count, reservoir: count }).strict(),
  /** Kept spans later removed to stay under `maxBytes` (or the memory cap without a run folder). */
  spansRemoved: count,
  /** Span files (`spans-NNNN.ndjson.gz`) in the run folder and their compressed bytes. */
  files: count,
  bytesOnDisk: count,
  /** What sampling does not change. */
  statistics: z.string(),
}).strict();

/** Per second of the run timeline (same `startMs` slots): HL7 messages of `mllp` steps. ACK latency null = no message that second. */
export const hl7ColumnsSchema = z.object({
  /** Messages answered (or failed) in that second, counted at the end, as `hl7_msgs`. */
  messages: z.array(count),
  /** `hl7_msg_failed`: no ACK, `AE`/`AR`, a timeout, a reset, garbage. */
  failed: z.array(count),
  /** failed ÷ messages (0 without messages). */
  failedRate: z.array(ratio01),
  /** ACK time (`hl7_msg_duration`) percentiles. */
  p50Ms: z.array(nullableNum), p95Ms: z.array(nullableNum), p99Ms: z.array(nullableNum),
}).strict();

/**
 * HL7 messages of the plan's `mllp` steps as their own event kind, beside the HTTP figures (which stay as they
 * are). `phaseTables` rows are scenario × step (`request` = the step name, `count` = messages, latency = ACK
 * time, no intended columns); `resilience` applies the HTTP rules to the HL7 series (`requests`/`rps` of its
 * health rows count messages).
 */
export const hl7SectionSchema = z.object({
  timeline: z.object({ overall: hl7ColumnsSchema, scenarios: z.record(z.string(), hl7ColumnsSchema) }).strict(),
  phaseTables: z.array(phaseTableSchema),
  resilience: resilienceSchema,
}).strict();

const joinSectionSchema = z.object({ total: count, withServerSpan: count, missing: count, missingFraction: ratio01 }).strict();

/** One line of the run's journal.ndjson (core's `JournalEntry`; `types.ts` checks the two agree). */
const journalEntrySchema = z.object({
  time: z.string(), offsetMs: num,
  action: z.enum(['run-start', 'listening', 'phase-start', 'proxy-create', 'proxy-delete', 'fault-on', 'fault-off', 'halt', 'hypothesis',
    'rollback-start', 'rollback-verified', 'incident', 'control', 'run-end']),
  outcome: z.enum(['ok', 'error']), phase: z.string().optional(), proxy: z.string().optional(), toxic: z.string().optional(),
  type: z.string().optional(), stream: z.enum(['upstream', 'downstream']).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(), reason: z.string().optional(), error: z.string().optional(),
  leftovers: z.array(z.string()).optional(),
}).strict();

/** The whole of `results.json` (schemaVersion 1). */
export const runResultsSchema = z.object({
  schemaVersion: z.literal(1),
  meta: runMetaSchema,
  phases: z.array(phaseResultSchema),
  faults: z.array(faultWindowSchema),
  timeline: timelineSchema,
  servicePhases: z.array(servicePhaseRowSchema),
  phaseTables: z.array(phaseTableSchema),
  verdicts: z.array(verdictSchema),
  slos: z.array(sloResultSchema),
  resilience: resilienceSchema,
  phi: phiSectionSchema.nullable(),
  ledger: ledgerSectionSchema.nullable(),
  join: joinSectionSchema.nullable(),
  /**
   * Example requests per window, keyed by scope (`run`, a phase name, `fault:<name>`). Absent in results written
   * before exemplars existed and when the load source kept no trace ids (real k6).
   */
  exemplars: z.record(z.string(), windowExemplarsSchema).optional(),
  /** The run's journal.ndjson, verbatim. */
  journal: z.array(journalEntrySchema),
  /** Per fault window: which spans took the added time (absent in results.json written before it, or without spans). */
  attribution: z.array(faultAttributionSchema).optional(),
  /** Waterfalls of the slowest traces of each fault window (absent without spans). */
  traces: z.array(traceWaterfallSchema).optional(),
  /** Which raw spans were kept (absent in results.json written before tail sampling, or without collectors). */
  spanSampling: spanSamplingSchema.optional(),
  /**
   * HL7 messages of `mllp` steps: per-second columns, per-scope tables and resilience, as for HTTP. Absent when the
   * run sent no HL7 message, when the load source keeps no HL7 series, and in results.json written before it.
   */
  hl7: hl7SectionSchema.optional(),
}).strict();

/** The JSON Schema (draft 2020-12) text of results.json, as committed in reports/results.schema.json. */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(runResultsSchema, { target: 'draft-2020-12' }),
    $id: 'https://codeblue.dev/schemas/results.schema.json',
    title: 'codeblue run results (results.json)',
  };
}
