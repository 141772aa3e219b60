/**
 * @module run/steps: step 1 — everything that can refuse the run before anything is started: the target guard,
 * the k6 binary, a stale process on the target's port; then the run folder, the journal and the run clock.
 */
import { CodeblueError, deferredClock, newRunId, type TargetPolicy } from '../../core/index.js';
import { MetricStore } from '../../core/metrics/index.js';
import { createJournal, journalEntry } from '../../chaos/index.js';
import type { Plan } from '../../plan/index.js';
import { findK6 } from '../../scenarios/index.js';
import type { RunEventListener } from '../events.js';
import { checkPlanNetwork } from '../net-checks.js';
import { createRunFolder } from '../run-folder.js';
import { createRunJournal } from '../run-journal.js';
import { startRunSafety } from '../run-safety.js';
import { assertTargetPortFree } from '../target-port.js';
import type { GameDayOptions } from '../types.js';
import type { RunContext } from './context.js';
import { createIncidentLog } from './incidents.js';

/** Throws (nothing started, nothing written) when the run must not start; else opens the run folder. */
export async function prepareRun(plan: Plan, options: GameDayOptions): Promise<RunContext> {
  const policy: TargetPolicy = { allowHosts: plan.safety.allowHosts, allowRemote: options.allowRemote === true };
  // Every host and listen address of the plan, before anything starts; connections are checked again by `guard`.
  const guard = await checkPlanNetwork(plan, policy);
  if (options.engine === 'k6' && (await findK6()) === undefined) {
    throw new CodeblueError('CB_K6_NOT_FOUND', '--engine k6 needs the k6 binary, and none is on PATH', { hint: 'install k6, or drop --engine k6 to use the embedded engine' });
  }
  if (plan.target.start) await assertTargetPortFree(plan.target.baseUrl);

  const runId = options.runId ?? newRunId();
  const folder = createRunFolder(options.outRoot, runId, plan.name);
  folder.writeJson('plan.json', plan);
  const journal = createRunJournal(createJournal(folder.path('journal.ndjson')));
  const clock = deferredClock();
  const startedAtEpochMs = Date.now();
  const emit: RunEventListener = (e) => options.onEvent?.(e);
  journal.write(journalEntry(clock, { action: 'run-start', outcome: 'ok', reason: `plan ${plan.file}, run ${runId}` }));
  emit({
    type: 'run-start', runId, plan: plan.file, runDir: folder.dir, runLengthMs: plan.runLengthMs, phases: plan.phases,
    faults: plan.faults.map((f) => ({ name: f.name, proxy: f.proxy, toxic: f.toxic, startMs: f.startMs, endMs: f.endMs })),
  });
  // Recorded before anything is created, so a later run or `codeblue cleanup` can remove what a killed run left.
  const safety = await startRunSafety({ plan, runId, runDir: folder.dir, outRoot: options.outRoot, emit });
  // Settled seconds of the run's metrics and exemplars wait on disk until the evaluation reads them (#19).
  const store = new MetricStore();
  store.spillTo(folder.path('samples'));
  return {
    plan, runId, folder, journal, clock, emit, safety, store, incidents: createIncidentLog(journal, clock, emit),
    startedAtEpochMs, signal: options.signal, engine: options.engine ?? 'embedded', allowRemote: options.allowRemote === true, guard,
  };
}
