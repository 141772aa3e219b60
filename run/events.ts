/** @module run: what a game day reports while it runs; the CLI renders these (live view, plain lines or ndjson). */

/** A once-a-second snapshot of the load. */
export interface TickStats {
  readonly rps: number;
  readonly p95Ms: number | undefined;
  readonly errorRate: number;
  readonly requests: number;
  readonly vus: number;
}

export type RunEvent =
  | { readonly type: 'run-start'; readonly runId: string; readonly plan: string; readonly runDir: string; readonly runLengthMs: number; readonly phases: readonly { name: string; startMs: number; endMs: number }[]; readonly faults: readonly { name: string; proxy: string; toxic: string; startMs: number; endMs: number }[] }
  | { readonly type: 'step'; readonly message: string }
  | { readonly type: 'target-ready'; readonly baseUrl: string; readonly startedByUs: boolean }
  | { readonly type: 'hypothesis'; readonly when: 'before' | 'after'; readonly name: string; readonly pass: boolean; readonly message: string }
  | { readonly type: 'phase'; readonly atMs: number; readonly phase: string }
  | { readonly type: 'fault'; readonly atMs: number; readonly action: 'on' | 'off'; readonly name: string; readonly proxy: string; readonly toxic: string; readonly outcome: 'ok' | 'error'; readonly error?: string }
  | { readonly type: 'tick'; readonly atMs: number; readonly phase: string; readonly activeFaults: readonly string[]; readonly stats: TickStats }
  | { readonly type: 'halt'; readonly atMs: number; readonly reason: string }
  | { readonly type: 'target-exit'; readonly atMs: number; readonly code: number | null; readonly signal: string | null }
  | { readonly type: 'rollback'; readonly removed: number; readonly leftovers: readonly string[] }
  | { readonly type: 'run-end'; readonly status: 'passed' | 'failed' | 'halted' | 'interrupted'; readonly exitCode: number; readonly runDir: string; readonly reasons: readonly string[]; readonly report?: string };

export type RunEventListener = (event: RunEvent) => void;
