/** @module reports/results: the `results.json` contract — everything every renderer needs, nothing measured here. */
import type { JournalEntry } from '../../core/index.js';

export type RunStatus = 'passed' | 'failed' | 'halted' | 'interrupted';
export type VerdictKind = 'slo' | 'threshold' | 'check' | 'hypothesis' | 'trace-assertion' | 'phi' | 'ledger' | 'halt';

/** Who ran what, when, and how it ended. Times are ISO-8601 wall time; durations in ms. */
export interface RunMeta {
  readonly name: string;
  readonly runId: string;
  readonly planFile: string;
  readonly target: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly exitCode: number;
  readonly status: RunStatus;
  readonly haltReason: string | null;
}

/** A window on the run clock (ms from run start). */
export interface Span {
  readonly startMs: number;
  readonly endMs: number;
}

export interface PhaseResult extends Span {
  readonly name: string;
}

/** A fault as it actually ran: from the journal's fault-on/fault-off, else from the plan. */
export interface FaultWindow extends Span {
  readonly name: string;
  readonly proxy: string;
  readonly toxic: string;
  readonly stream: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly source: 'journal' | 'plan';
}

/** Columnar per-second series; index i is second `startMs[i]` of the timeline. Latency null = no request that second. */
export interface SeriesColumns {
  readonly requests: readonly number[];
  readonly failed: readonly number[];
  readonly errorRate: readonly number[];
  readonly p50Ms: readonly (number | null)[];
  readonly p95Ms: readonly (number | null)[];
  readonly p99Ms: readonly (number | null)[];
  readonly vus: readonly (number | null)[];
  readonly droppedIterations: readonly number[];
}

export interface ServiceColumns {
  readonly count: readonly number[];
  readonly p95Ms: readonly (number | null)[];
}

export interface Timeline {
  /** Bucket width (1000). */
  readonly stepMs: number;
  readonly startMs: readonly number[];
  readonly overall: SeriesColumns;
  readonly scenarios: Readonly<Record<string, SeriesColumns>>;
  /** Per-service server span latency per second (empty when the orchestrator had no per-second span data). */
  readonly services: Readonly<Record<string, ServiceColumns>>;
}

/** Span latency of one service in one phase (from the collectors' aggregates). */
export interface ServicePhaseRow {
  readonly phase: string;
  readonly service: string;
  readonly count: number;
  readonly errors: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** One endpoint (scenario × request name) in one phase. */
export interface EndpointRow {
  readonly scenario: string;
  readonly request: string;
  readonly count: number;
  readonly failures: number;
  readonly errorRate: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/** `scope`: `run`, a phase name, or `fault:<name>` for one fault window. */
export interface PhaseTable extends Span {
  readonly scope: string;
  readonly label: string;
  readonly rows: readonly EndpointRow[];
  readonly total: EndpointRow;
}

export interface Verdict {
  readonly kind: VerdictKind;
  readonly name: string;
  readonly phase: string | null;
  readonly pass: boolean;
  readonly observed: number | null;
  readonly expected: string;
  readonly message: string;
}

/** One SLO in one scope (run, phase or fault window). Budget maths: see reports/README.md. */
export interface SloScopeResult extends Span {
  readonly scope: string;
  readonly label: string;
  readonly total: number;
  readonly good: number;
  readonly bad: number;
  /** good / total; null when there were no events. */
  readonly ratio: number | null;
  readonly pass: boolean;
  /** (bad / total) / (1 − objective); 0 without events. */
  readonly burnRate: number;
  /** bad / budgetEvents: the share of the window's error budget this scope used. */
  readonly budgetConsumed: number;
  /** True when the ratio comes from a latency summary (spans) rather than exact counts. */
  readonly estimated: boolean;
}

export interface BurnAlert {
  readonly severity: 'page' | 'ticket';
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly factor: number;
  /** Share of the budget this alert catches being spent in its long window (SRE workbook). */
  readonly budgetShare: number;
  /** The worst scope's burn rate ≥ factor: fires if that failure rate lasted the long window. */
  readonly firesIfSustained: boolean;
  /** Both windows ≥ factor at some second of the drill, healthy traffic assumed around it; null = not computable. */
  readonly firedDuringDrill: boolean | null;
  readonly firstFiredAtMs: number | null;
}

export interface ErrorBudget {
  readonly windowMs: number;
  /** Events per second in the drill, extrapolated over the window. */
  readonly eventsPerSecond: number;
  readonly budgetEvents: number;
  readonly consumedEvents: number;
  readonly consumedFraction: number;
  /** (1 − objective) × window: the allowed "bad time". */
  readonly budgetTimeMs: number;
  readonly consumedTimeMs: number;
  readonly burnRate: number;
  /** Scope with the highest burn rate, and that rate. */
  readonly worstScope: string;
  readonly worstBurnRate: number;
  /** window / worst burn rate; null when nothing failed. */
  readonly exhaustsAfterMs: number | null;
  readonly sentence: string;
  readonly alerts: readonly BurnAlert[];
}

export interface SloResult {
  readonly name: string;
  readonly description: string | null;
  readonly sli: 'availability' | 'latency';
  readonly thresholdMs: number | null;
  readonly objective: number;
  readonly windowMs: number;
  readonly filter: { readonly scenario?: string; readonly request?: string; readonly service?: string } | null;
  readonly source: 'load' | 'spans';
  readonly pass: boolean;
  readonly scopes: readonly SloScopeResult[];
  readonly budget: ErrorBudget;
}

export interface Health {
  readonly requests: number;
  readonly rps: number;
  readonly errorRate: number;
  readonly p95Ms: number | null;
}

export interface FaultResilience extends Span {
  readonly fault: string;
  readonly proxy: string;
  readonly toxic: string;
  readonly baseline: Health | null;
  readonly during: Health;
  readonly p95DeltaMs: number | null;
  readonly p95Ratio: number | null;
  readonly errorRateDelta: number | null;
  readonly recovered: boolean;
  readonly recoveredAtMs: number | null;
  readonly timeToRecoverMs: number | null;
  /** 0–100, formula in reports/README.md; null without a baseline. */
  readonly score: number | null;
  readonly penalties: { readonly errors: number; readonly latency: number; readonly recovery: number } | null;
}

export interface Resilience {
  readonly faults: readonly FaultResilience[];
  readonly score: number | null;
}

export interface PhiSection {
  readonly total: number;
  readonly byRule: Readonly<Record<string, number>>;
  readonly scannedSpans: number;
  readonly scannedLogs: number;
  readonly findings: readonly {
    readonly location: string;
    readonly traceId: string;
    readonly spanName: string;
    readonly service: string;
    readonly key: string;
    readonly rule: string;
    readonly masked: string;
  }[];
}

export interface LedgerSection {
  readonly checked: number;
  readonly missingIds: readonly string[];
  readonly changedIds: readonly string[];
}

export interface JoinSection {
  readonly total: number;
  readonly withServerSpan: number;
  readonly missing: number;
  readonly missingFraction: number;
}


/** The whole of `results.json` (schemaVersion 1). */
export interface RunResults {
  readonly schemaVersion: 1;
  readonly meta: RunMeta;
  readonly phases: readonly PhaseResult[];
  readonly faults: readonly FaultWindow[];
  readonly timeline: Timeline;
  readonly servicePhases: readonly ServicePhaseRow[];
  readonly phaseTables: readonly PhaseTable[];
  readonly verdicts: readonly Verdict[];
  readonly slos: readonly SloResult[];
  readonly resilience: Resilience;
  readonly phi: PhiSection | null;
  readonly ledger: LedgerSection | null;
  readonly join: JoinSection | null;
  /** The run's journal.ndjson, verbatim. */
  readonly journal: readonly JournalEntry[];
}
