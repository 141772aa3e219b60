/** @module run: the public shapes of one game day — what it is given and what it measured. */
import type { MetricStore } from '../core/metrics/index.js';
import type { CollectorsSummary, JoinResult, PhiScanResult, SpanAnalysis, TraceAssertionResult } from '../collectors/index.js';
import type { RollbackResult } from '../chaos/index.js';
import type { Plan } from '../plan/index.js';
import type { LoadResult } from '../scenarios/index.js';
import type { RunEventListener } from './events.js';
import type { RunOperator } from './operator-desk.js';
import type { ProbeResult } from './hypothesis.js';
import type { LedgerResult } from './ledger.js';
import type { RunFolder } from './run-folder.js';

export interface GameDayOptions {
  /** Root of run folders (`runs/`), resolved against the process's working directory. */
  readonly outRoot: string;
  readonly allowRemote?: boolean;
  /** Aborting it interrupts the run: load stops, faults roll back, partial results are written. */
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
  readonly runId?: string;
  /** Told where this run's proxies live as soon as they exist, so a crash handler can still remove them. */
  readonly onChaosReady?: (chaos: { readonly url: string; readonly prefix: string }) => void;
  /** `k6` runs the compiled script with a real k6 binary and ingests its JSON output afterwards. */
  readonly engine?: 'embedded' | 'k6';
  /** Given, once the run folder exists, what a live control room may read and do (halt, end a fault early). */
  readonly onOperator?: (operator: RunOperator) => void;
  /**
   * Given the record once everything a verdict reads is in (load, ledger, hypothesis, rollback, span statistics and
   * findings), before the after-run pass over the kept spans (`spanAnalysis`, for the reports' waterfalls) — so the
   * verdict can be said without waiting for it. The record `runGameDay` returns is this one plus `spanAnalysis`.
   */
  readonly onRecorded?: (record: GameDayRecord) => void;
}

export type GameDayStatus = 'completed' | 'halted' | 'interrupted' | 'aborted-steady-state';

/** The target process exited on its own during the run (a finding). `atMs` is on the run clock. */
export interface TargetExit {
  readonly atMs: number;
  readonly code: number | null;
  readonly signal: string | null;
}

/** Where the run's embedded parts listen (the /metrics URL is what Prometheus scrapes). */
export interface RunEndpoints {
  readonly chaosUrl: string;
  readonly otlpUrl: string;
  /** The OTLP/gRPC receiver (absent when `collectors.otlpGrpcListen: off`). */
  readonly otlpGrpcUrl?: string;
  readonly metricsUrl: string | undefined;
}

/** Everything a game day measured; reports/ turns it into verdicts. */
export interface GameDayRecord {
  readonly runId: string;
  readonly plan: Plan;
  readonly folder: RunFolder;
  readonly journalPath: string;
  readonly status: GameDayStatus;
  readonly haltReason?: string;
  readonly startedAtEpochMs: number;
  readonly endedAtEpochMs: number;
  /** Epoch ms of run offset 0 (the start of the baseline phase). */
  readonly clockOriginEpochMs: number;
  readonly hypothesisBefore: readonly ProbeResult[];
  readonly hypothesisAfter: readonly ProbeResult[];
  /** The embedded engine's result (absent with `--engine k6`, whose output lands in `store`). */
  readonly load?: LoadResult;
  /** Real k6's exit code with `--engine k6`. */
  readonly k6ExitCode?: number;
  readonly store: MetricStore;
  /** Requests in flight that codeblue itself cut off (Ctrl-C, halt, end of run): never target failures. */
  readonly abortedRequests: number;
  readonly endpoints?: RunEndpoints;
  readonly ledger?: LedgerResult;
  readonly join?: JoinResult;
  readonly phi?: PhiScanResult;
  readonly spans?: CollectorsSummary;
  readonly spanAnalysis?: SpanAnalysis;
  /** Trace assertions of the hypothesis, evaluated per phase over the collected spans. */
  readonly traceAssertions?: readonly TraceAssertionResult[];
  readonly rollback?: RollbackResult;
  readonly targetExit?: TargetExit;
  /** Problems with codeblue's own machinery during the run (never target failures); each is journaled and shown. */
  readonly incidents: readonly string[];
}
