/** @module run/steps: the one place a `GameDayRecord` is built — from the results of the steps, nothing mutated. */
import type { ProbeResult } from '../hypothesis.js';
import type { GameDayRecord, GameDayStatus, RunEndpoints } from '../types.js';
import { abortedRequests } from '../tick-stats.js';
import type { RunContext } from './context.js';
import type { FinishResult } from './finish.js';
import type { LiveResult } from './live.js';

export interface StepResults {
  readonly status: GameDayStatus;
  readonly endpoints: RunEndpoints | undefined;
  readonly hypothesisBefore: readonly ProbeResult[];
  readonly live: LiveResult | undefined;
  readonly finished: FinishResult;
}

export function buildRecord(ctx: RunContext, r: StepResults): GameDayRecord {
  const { live, finished } = r;
  const { collected } = finished;
  return {
    runId: ctx.runId, plan: ctx.plan, folder: ctx.folder, journalPath: ctx.journal.path, status: r.status,
    startedAtEpochMs: ctx.startedAtEpochMs, endedAtEpochMs: Date.now(), clockOriginEpochMs: ctx.clock.originEpochMs,
    hypothesisBefore: r.hypothesisBefore, hypothesisAfter: finished.hypothesisAfter,
    store: ctx.store, abortedRequests: abortedRequests(ctx.store), incidents: ctx.incidents.list(),
    ...(r.endpoints ? { endpoints: r.endpoints } : {}),
    ...(live?.haltReason === undefined ? {} : { haltReason: live.haltReason }),
    ...(live?.load ? { load: live.load } : {}),
    ...(live?.k6ExitCode === undefined ? {} : { k6ExitCode: live.k6ExitCode }),
    ...(live?.targetExit ? { targetExit: live.targetExit } : {}),
    ...(finished.ledger ? { ledger: finished.ledger } : {}),
    ...(finished.rollback ? { rollback: finished.rollback } : {}),
    ...(collected.spans ? { spans: collected.spans } : {}),
    ...(collected.join ? { join: collected.join } : {}),
    ...(collected.phi ? { phi: collected.phi } : {}),
    ...(collected.traceAssertions ? { traceAssertions: collected.traceAssertions } : {}),
  };
}
