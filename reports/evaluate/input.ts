/**
 * @module reports/evaluate: what the orchestrator hands to `evaluateRun` at the end of a run — plain data plus a
 * small query interface over the load metrics (the orchestrator adapts its per-second HDR store to it).
 */
import type { SpanSamplingInput } from './span-sampling.js';
import type { JournalEntry } from '../../core/index.js';
import type { Aggregate, ExemplarWindow } from '../../core/metrics/index.js';
import type { MetricKey, ThresholdExpression } from '../../core/threshold.js';
import type { JoinResult, PhiScanResult, SlowTrace, SpanAggregate, SpanWindowStats, TraceAssertionResult } from '../../collectors/index.js';
import type { LedgerSection } from '../results/types.js';
import type { SloSpec } from '../slo/schema.js';

/** Which requests a query counts. Times are ms from run start, `[fromMs, toMs)`. */
export interface LoadFilter {
  readonly fromMs: number;
  readonly toMs: number;
  readonly scenario?: string;
  /** Request name tag (k6 `name`). */
  readonly name?: string;
  /** HTTP status (0 = no response). */
  readonly status?: number;
  /** k6 `expected_response` tag: true = not failed. */
  readonly expectedResponse?: boolean;
  /**
   * Which latency `window().latency` answers: `start` (default) = k6 `http_req_duration`, from the actual start;
   * `intended` = `http_req_duration_corrected`, from the open model's intended start (coordinated omission corrected).
   */
  readonly latencyFrom?: 'start' | 'intended';
  /** `hl7`: count HL7 messages of `mllp` steps (`hl7_msg_duration`, `hl7_msg_failed`) instead of HTTP requests. */
  readonly events?: 'http' | 'hl7';
}

/** Which requests an exemplar query covers; the window is on intended start. */
export interface ExemplarFilter {
  readonly fromMs: number;
  readonly toMs: number;
  readonly scenario?: string;
  readonly name?: string;
  /** How many of the slowest to return. */
  readonly slowest: number;
}

/** Latency of the requests a filter selected (k6 http_req_duration, ms). Callers only ask when count > 0. */
export interface LatencyQuery {
  /** Percentile, q in 0–100 (k6 `p(q)`). */
  p(q: number): number;
  /** Requests whose duration is ≤ ms. */
  countAtOrBelow(ms: number): number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
}

export interface WindowStats {
  readonly count: number;
  readonly failed: number;
  readonly latency: LatencyQuery;
}

/** One second of load (bucket `[startMs, startMs + 1000)`). */
export interface SecondRow {
  readonly startMs: number;
  readonly count: number;
  readonly failed: number;
  /** Latency percentiles of that second; ignored when count is 0. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Requests ≤ the asked `atOrBelowMs` (only when it was asked). */
  readonly atOrBelow?: number;
  /** Active VUs at the end of that second (overall, or the scenario's). */
  readonly vus?: number;
  readonly droppedIterations?: number;
  /** Requests whose *scheduled* start fell in this second (absent when the engine does not say, e.g. real k6). */
  readonly byIntendedStart?: number;
}

export interface SecondFilter {
  readonly scenario?: string;
  readonly name?: string;
  readonly atOrBelowMs?: number;
  /** Which latency `atOrBelow` and the percentiles count (see LoadFilter.latencyFrom). */
  readonly latencyFrom?: 'start' | 'intended';
  /** `hl7`: HL7 messages instead of HTTP requests (see LoadFilter.events). */
  readonly events?: 'http' | 'hl7';
  /**
   * Only `count`, `failed` and `atOrBelow` are read (an SLO's burn alerts): a source may leave the percentiles,
   * VUs and dropped iterations out, and count from the failure series (no latency histogram merged per second).
   */
  readonly countsOnly?: boolean;
}

/** codeblue-only metrics the reports read through `LoadQuery.authWindow`. */
type OwnWindowMetric = 'auth_token_duration' | 'auth_token_failed' | 'hl7_msg_duration' | 'hl7_msg_failed';

/** The load side of a run, queried — never a list of samples. */
export interface LoadQuery {
  /** Every scenario × request name that saw a request. */
  endpoints(): readonly { readonly scenario: string; readonly name: string }[];
  /**
   * Every scenario × step name that sent an HL7 message (`mllp` steps). Absent on sources that keep no HL7
   * series (real k6): the report then has no `hl7` section, whatever `window({ events: 'hl7' })` answers.
   */
  hl7Endpoints?(): readonly { readonly scenario: string; readonly name: string }[];
  window(filter: LoadFilter): WindowStats;
  /** Seconds that saw a request or a VU change, ascending by startMs. */
  perSecond(filter: SecondFilter): readonly SecondRow[];
  /**
   * codeblue's own series in `[fromMs, toMs)`, all tags together: token fetches of the plan's `auth`
   * (`auth_token_duration`: count, latency; `auth_token_failed`: count, failed) and messages of `mllp` steps
   * (`hl7_msg_duration`, `hl7_msg_failed` alike). Absent on sources that do not keep them.
   */
  authWindow?(metric: OwnWindowMetric, fromMs: number, toMs: number): WindowStats;
  /**
   * Any other metric the source kept (iteration_duration, vus, data_sent, http_req_waiting, …) over `[fromMs, toMs)`,
   * filtered by tags, aggregated by its k6 type. Absent on sources that keep only requests.
   */
  metric?(metric: string, fromMs: number, toMs: number, tags: Readonly<Record<string, string>>): Aggregate;
  /** Example requests with their trace ids (absent when the source kept none, e.g. real k6's output). */
  exemplars?(filter: ExemplarFilter): ExemplarWindow;
}

/** A phase as it ran (plan `PhaseWindow` fits). */
export interface PhaseInput {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** A fault as planned (plan `ResolvedFault` fits); the journal's fault-on/off times win over these. */
export interface FaultInput {
  readonly name: string;
  readonly proxy: string;
  readonly toxic: string;
  readonly stream?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly startMs: number;
  readonly endMs: number;
}

/** A threshold key with its expressions (plan `ResolvedThreshold` fits). */
export interface ThresholdInput {
  readonly key: MetricKey;
  readonly expressions: readonly { readonly expression: ThresholdExpression }[];
}

export interface CheckOutcome {
  readonly scenario: string;
  readonly name: string;
  readonly passes: number;
  readonly fails: number;
}

/** One steady-state probe result (before faults, after recovery); run/'s `ProbeResult` fits. */
export interface HypothesisOutcome {
  readonly name: string;
  /** Where it was checked: a phase name, or run/'s `when` (`before` / `after`). */
  readonly phase?: string;
  readonly when?: 'before' | 'after';
  readonly pass: boolean;
  /** The HTTP status seen (0 = none). */
  readonly status: number | null;
  readonly message: string;
}

/** The ledger read-back as results.json keeps it. */
export type LedgerOutcome = LedgerSection;

/** Per-second span latency of one service (optional; from the orchestrator's span listener). */
export interface ServiceSecondRow {
  readonly service: string;
  readonly startMs: number;
  readonly count: number;
  readonly p95Ms: number;
}

export interface RunEvaluationInput {
  readonly meta: {
    readonly name: string;
    readonly runId: string;
    readonly planFile: string;
    readonly target: string;
    /** ISO-8601 wall time. */
    readonly startedAt: string;
    readonly endedAt: string;
    readonly durationMs: number;
    /** The run was cut short by Ctrl-C / SIGTERM (rollback done). */
    readonly interrupted?: boolean;
    /** Requests codeblue itself cut off in flight; kept out of every error rate, reported apart. */
    readonly abortedRequests?: number;
    readonly metricsUrl?: string;
  };
  readonly phases: readonly PhaseInput[];
  readonly faults: readonly FaultInput[];
  readonly journal: readonly JournalEntry[];
  readonly slos: readonly SloSpec[];
  readonly thresholds: readonly ThresholdInput[];
  readonly load: LoadQuery;
  readonly checks?: readonly CheckOutcome[];
  readonly hypothesis?: readonly HypothesisOutcome[];
  readonly traceAssertions?: readonly TraceAssertionResult[];
  readonly phi?: PhiScanResult;
  readonly ledger?: LedgerOutcome;
  readonly join?: JoinResult;
  readonly spans?: {
    readonly aggregates: readonly SpanAggregate[];
    readonly perSecond?: readonly ServiceSecondRow[];
    /** Span statistics of the windows `attributionWindows` names (collectors' `analyzeSpans`): fault attribution. */
    readonly windows?: readonly SpanWindowStats[];
    /** The slowest traces of those windows, drawn as waterfalls. */
    readonly slowTraces?: readonly SlowTrace[];
    /** Which raw spans the collectors kept (tail sampling), for the `spanSampling` section. */
    readonly sampling?: SpanSamplingInput;
  };
  /** Set when a halt condition stopped the run. */
  readonly halt?: { readonly reason: string; readonly atMs: number };
  /**
   * What the load engine sent, when the load ran (the orchestrator passes LoadResult.requests / renderFailures).
   * With 0 requests the run fails with a `load` verdict (a run that sent nothing never passes, issue #12).
   */
  readonly sent?: { readonly requests: number; readonly renderFailures: number; readonly firstRenderFailure?: string };
}
