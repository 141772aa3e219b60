/** @module run: what a game day reports while it runs; the CLI renders these (live view, plain lines or ndjson). */

/** A once-a-second snapshot of the load. */
export interface TickStats {
  readonly rps: number;
  readonly p95Ms: number | undefined;
  readonly errorRate: number;
  readonly requests: number;
  readonly vus: number;
  /** Requests codeblue itself cut off so far (Ctrl-C, halt, end of run); not counted as failures. */
  readonly aborted: number;
  /** HL7 messages of `mllp` steps, the same numbers for them; absent until the first one is sent. */
  readonly hl7?: MessageTickStats;
}

/** Messages per second, ACK-time p95 and failed share of the last complete second, and the messages sent so far. */
export interface MessageTickStats {
  readonly mps: number;
  readonly p95Ms: number | undefined;
  readonly errorRate: number;
  readonly messages: number;
}

export type RunEvent =
  | { readonly type: 'run-start'; readonly runId: string; readonly plan: string; readonly runDir: string; readonly runLengthMs: number; readonly phases: readonly { name: string; startMs: number; endMs: number }[]; readonly faults: readonly { name: string; proxy: string; toxic: string; startMs: number; endMs: number }[] }
  | { readonly type: 'step'; readonly message: string }
  /** Where the run's parts listen, as soon as they do (the /metrics URL is what Prometheus scrapes). */
  | { readonly type: 'endpoints'; readonly chaosUrl: string; readonly otlpUrl: string; readonly otlpGrpcUrl?: string; readonly metricsUrl: string | null }
  /** Every few seconds while the target is not up yet: what is awaited and the last answer (or error code). */
  | { readonly type: 'waiting'; readonly url: string; readonly expect: '2xx' | 'any answer'; readonly last: string; readonly elapsedMs: number; readonly timeoutMs: number }
  /** A problem with codeblue's own machinery (never a target failure); also in the journal. */
  | { readonly type: 'incident'; readonly message: string }
  | { readonly type: 'target-ready'; readonly baseUrl: string; readonly startedByUs: boolean }
  | { readonly type: 'hypothesis'; readonly when: 'before' | 'after'; readonly name: string; readonly pass: boolean; readonly message: string }
  | { readonly type: 'phase'; readonly atMs: number; readonly phase: string }
  | { readonly type: 'fault'; readonly atMs: number; readonly action: 'on' | 'off'; readonly name: string; readonly proxy: string; readonly toxic: string; readonly outcome: 'ok' | 'error'; readonly error?: string }
  | { readonly type: 'tick'; readonly atMs: number; readonly phase: string; readonly activeFaults: readonly string[]; readonly stats: TickStats }
  | { readonly type: 'halt'; readonly atMs: number; readonly reason: string }
  | { readonly type: 'target-exit'; readonly atMs: number; readonly code: number | null; readonly signal: string | null }
  | { readonly type: 'rollback'; readonly removed: number; readonly leftovers: readonly string[]; readonly others?: { readonly removed: readonly string[]; readonly failed: readonly string[] } }
  /**
   * The verdict, as soon as everything it reads is in (before the after-run span pass and the reports): the same
   * status, exit code and reasons `run-end` repeats once the run folder is written.
   */
  | { readonly type: 'verdict'; readonly status: 'passed' | 'failed' | 'halted' | 'interrupted'; readonly exitCode: number; readonly runDir: string; readonly reasons: readonly string[]; readonly abortedRequests?: number; /** Failed but not gating. */ readonly notes?: readonly string[]; readonly latency?: RunLatency }
  | { readonly type: 'run-end'; readonly status: 'passed' | 'failed' | 'halted' | 'interrupted'; readonly exitCode: number; readonly runDir: string; readonly reasons: readonly string[]; readonly report?: string; readonly abortedRequests?: number; readonly metricsUrl?: string; /** Failed but not gating (SLO window outside its scope, PHI under warn). */ readonly notes?: readonly string[]; /** The whole run's request latency, raw and from the intended start (ms). */ readonly latency?: RunLatency };

/** p95/p99 of every request of the run, as measured and from the intended start (coordinated-omission corrected). */
export interface RunLatency {
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p95CorrectedMs?: number;
  readonly p99CorrectedMs?: number;
}

export type RunEventListener = (event: RunEvent) => void;
