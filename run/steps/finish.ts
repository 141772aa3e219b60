/**
 * @module run/steps: step 6 — every exit path ends here: faults off, after-checks, target stopped, rollback,
 * collect, the run folder's files (the per-second metrics follow the verdict). Each part runs even when an earlier
 * one failed (that one is an incident).
 */
import type { FaultTimeline, RollbackResult } from '../../chaos/index.js';
import type { RemoteWriteOutput } from '../../collectors/index.js';
import type { EmbeddedParts } from '../embedded.js';
import type { TargetProcess } from '../target-process.js';
import { runAfterChecks, type AfterChecks } from './after-checks.js';
import { collect, type Collected } from './collect.js';
import type { RunContext } from './context.js';
import type { LiveResult } from './live.js';
import { stopMetricOutputs } from './remote-write.js';
import { writeRunFiles, type EndStatus } from './write.js';

/** What was started (each may be missing when an earlier step failed) and how far the run got. */
export interface FinishInput {
  readonly status: EndStatus;
  readonly parts: EmbeddedParts | undefined;
  readonly timeline: FaultTimeline | undefined;
  readonly target: TargetProcess | undefined;
  readonly live: LiveResult | undefined;
  /** Live metric outputs (remote write), pushed a last time here, before the verdict. */
  readonly outputs: readonly RemoteWriteOutput[];
}

export interface FinishResult extends AfterChecks {
  readonly rollback?: RollbackResult;
  readonly collected: Collected;
}

export async function finishRun(ctx: RunContext, input: FinishInput): Promise<FinishResult> {
  // The load is over: a soak's spilled per-second metrics come back while the steps below wait on the target.
  const restoring = ctx.store.restoreSpilledInBackground().catch((err: unknown) => ctx.incidents.note('reading the spilled per-second metrics back', err));
  // Faults off first; the proxies stay, because the target reaches its dependencies through them.
  await input.timeline?.clearFaults().catch((err: unknown) => ctx.incidents.note('switching faults off', err));
  // The load is over: the last push carries its final totals (k6 flushes its outputs when the test ends, too).
  await stopMetricOutputs(ctx, input.outputs).catch((err: unknown) => ctx.incidents.note('the last Prometheus remote-write push', err));
  const after = await runAfterChecks(ctx, input.live, input.target);
  // Stopping the target before collecting lets it flush its last spans to the receiver.
  if (input.target) ctx.emit({ type: 'step', message: 'stopping the target (it flushes its last spans)' });
  await input.target?.stop().catch((err: unknown) => ctx.incidents.note('stopping the target', err));
  const rollback = input.timeline ? await rollBack(ctx, input.timeline, input.parts?.chaosUrl) : undefined;
  if (input.parts) ctx.emit({ type: 'step', message: 'collecting the last spans (closing the collectors, joining requests to spans)' });
  const collected = input.parts ? await collect(ctx, input.parts, input.live) : {};
  await restoring;
  // The per-second metrics file is written after the verdict (writeMetricsFile).
  writeRunFiles(ctx, input.status, after.ledger);
  ctx.safety.finish(input.status);
  return { ...after, ...(rollback ? { rollback } : {}), collected };
}

/** Removes everything the run created on the chaos server and proves nothing is left. */
async function rollBack(ctx: RunContext, timeline: FaultTimeline, chaosUrl: string | undefined): Promise<RollbackResult> {
  let result: RollbackResult;
  try {
    result = await timeline.rollback();
  } catch (err) {
    ctx.incidents.note('rollback', err);
    result = { removed: [], leftovers: [`(rollback failed: ${err instanceof Error ? err.message : String(err)})`] };
  }
  // Dead runs' proxies on the same server are removed too, so "nothing left" is never said while some are there.
  const others = chaosUrl ? await ctx.safety.othersAfterRollback(chaosUrl).catch((err: unknown) => ({ removed: [], failed: [String(err)] })) : undefined;
  ctx.emit({ type: 'rollback', removed: result.removed.length, leftovers: result.leftovers, ...(others ? { others } : {}) });
  return result;
}
