/**
 * @module run: one game day as a row of steps, each with a typed input and result (run/steps/): prepare → start
 * the parts → proxies → start the target → steady state → phases with load → finish (faults off, after-checks,
 * stop the target, rollback, collect, write) → the record, handed to `onRecorded` (the verdict needs nothing more) →
 * the per-second metrics file and the after-run pass over the kept spans for the reports (analyse.ts). The record is built once, from the step results.
 */
import { journalEntry, type FaultTimeline } from '../chaos/index.js';
import type { Plan } from '../plan/index.js';
import type { RemoteWriteOutput } from '../collectors/index.js';
import type { EmbeddedParts } from './embedded.js';
import type { ProbeResult } from './hypothesis.js';
import { createOperatorDesk, type OperatorDesk } from './operator-desk.js';
import type { RunContext } from './steps/context.js';
import { analyseSpans } from './steps/analyse.js';
import { finishRun } from './steps/finish.js';
import { runLive, type LiveResult } from './steps/live.js';
import { prepareRun } from './steps/prepare.js';
import { startMetricOutputs } from './steps/remote-write.js';
import { buildRecord } from './steps/record.js';
import { writeMetricsFile } from './steps/write.js';
import { endpointsOf, faultTimelineFor, startParts } from './steps/start-parts.js';
import { awaitTarget, launchTarget } from './steps/start-target.js';
import { checkSteadyState, steadyStateHolds } from './steps/steady-state.js';
import type { TargetProcess } from './target-process.js';
import type { GameDayOptions, GameDayRecord, GameDayStatus } from './types.js';

export type { GameDayOptions, GameDayRecord } from './types.js';

/** What exists and must be stopped on every exit path; each slot is set from a step's result as it starts. */
interface Started {
  parts?: EmbeddedParts;
  timeline?: FaultTimeline;
  target?: TargetProcess;
  outputs?: readonly RemoteWriteOutput[];
}

/** What the steps up to the live part gave, however far they got. */
interface Attempt {
  readonly status: GameDayStatus;
  readonly hypothesisBefore: readonly ProbeResult[];
  readonly live?: LiveResult;
}

/** Runs the plan; throws only before the first phase (bad setup), after cleaning up what it had started. */
export async function runGameDay(plan: Plan, options: GameDayOptions): Promise<GameDayRecord> {
  const ctx = await prepareRun(plan, options);
  const desk = createOperatorDesk(ctx);
  options.onOperator?.(desk.operator);
  const started: Started = {};
  let attempt: Attempt;
  try {
    attempt = await attemptRun(ctx, started, options, desk);
  } catch (err) {
    if (!ctx.signal?.aborted) {
      await finishRun(ctx, { status: 'setup-failed', ...slots(started), live: undefined });
      await writeMetricsFile(ctx);
      desk.close();
      throw err;
    }
    attempt = { status: 'interrupted', hypothesisBefore: [] };
  }
  const finished = await finishRun(ctx, { status: attempt.status, ...slots(started), live: attempt.live });
  desk.close();
  const record = buildRecord(ctx, { status: attempt.status, endpoints: started.parts ? endpointsOf(started.parts) : undefined, hypothesisBefore: attempt.hypothesisBefore, live: attempt.live, finished });
  options.onRecorded?.(record);
  ctx.emit({ type: 'step', message: 'writing the per-second metrics (samples/metrics.ndjson)' });
  await writeMetricsFile(ctx);
  const spanAnalysis = started.parts ? await analyseSpans(ctx, started.parts) : undefined;
  return spanAnalysis ? { ...record, spanAnalysis } : record;
}

/** Start everything, check the steady state, then the live part (phases, faults, load). */
async function attemptRun(ctx: RunContext, started: Started, options: GameDayOptions, desk: OperatorDesk): Promise<Attempt> {
  const parts = (started.parts = await startParts(ctx));
  started.outputs = await startMetricOutputs(ctx);
  const timeline = (started.timeline = faultTimelineFor(ctx, parts));
  // Tell a crash handler where this run's proxies will be before they exist.
  options.onChaosReady?.({ url: parts.chaosUrl, prefix: timeline.prefix });
  ctx.safety.chaosReady({ url: parts.chaosUrl, prefix: timeline.prefix });
  await timeline.setup();
  started.target = launchTarget(ctx, parts);
  await awaitTarget(ctx, started.target);
  const hypothesisBefore = await checkSteadyState(ctx, 'before');
  if (!steadyStateHolds(hypothesisBefore)) {
    ctx.journal.write(journalEntry(ctx.clock, { action: 'halt', outcome: 'ok', reason: 'steady state not met before the faults; no load or faults were applied' }));
    return { status: 'aborted-steady-state', hypothesisBefore };
  }
  try {
    const live = await runLive(ctx, { parts, timeline, target: started.target, desk });
    return { status: live.status, hypothesisBefore, live };
  } catch (err) {
    if (ctx.signal?.aborted) return { status: 'interrupted', hypothesisBefore };
    throw err;
  }
}

const slots = (s: Started): { parts: EmbeddedParts | undefined; timeline: FaultTimeline | undefined; target: TargetProcess | undefined; outputs: readonly RemoteWriteOutput[] } =>
  ({ parts: s.parts, timeline: s.timeline, target: s.target, outputs: s.outputs ?? [] });
