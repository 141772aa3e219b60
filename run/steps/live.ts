/**
 * @module run/steps: step 5 — baseline → fault → recovery: phases, the fault timeline and the load on one clock,
 * the halt rule and the target's own exit watched throughout.
 */
import { CodeblueError } from '../../core/index.js';
import { journalEntry, type FaultTimeline } from '../../chaos/index.js';
import { createRequestJoin, type RequestJoin } from '../../collectors/index.js';
import { createSyntheticData, type LoadResult } from '../../scenarios/index.js';
import type { EmbeddedParts } from '../embedded.js';
import { createHaltMonitor } from '../halt-monitor.js';
import { createLedger, type Ledger } from '../ledger.js';
import type { OperatorDesk } from '../operator-desk.js';
import { phaseAt, runPhases } from '../phase-clock.js';
import type { TargetProcess } from '../target-process.js';
import { tickStats } from '../tick-stats.js';
import type { TargetExit } from '../types.js';
import type { RunContext } from './context.js';
import { driveLoad } from './load.js';

export interface LiveInput {
  readonly parts: EmbeddedParts;
  readonly timeline: FaultTimeline;
  readonly target: TargetProcess | undefined;
  /** The control room's halt and end-fault act through it while the phases run. */
  readonly desk?: OperatorDesk;
}

export interface LiveResult {
  readonly status: 'completed' | 'halted' | 'interrupted';
  readonly haltReason?: string;
  readonly load?: LoadResult;
  readonly k6ExitCode?: number;
  readonly targetExit?: TargetExit;
  /** Writes the target acknowledged, to read back after recovery. */
  readonly ledger: Ledger;
  /** Request trace ids, joined to the server spans once they are all in. */
  readonly join: RequestJoin;
  /** The synthetic values the run sent, for the PHI scan. */
  readonly syntheticValues: readonly string[];
  /** Credentials the load's auth used (tokens, secrets), for the secret scan; never written out. The ledger's read-backs add theirs. */
  readonly secretValues: Set<string>;
}

export async function runLive(ctx: RunContext, input: LiveInput): Promise<LiveResult> {
  const { plan, clock, journal, emit } = ctx;
  clock.start();
  journal.startAt(clock.originEpochMs);
  input.parts.collectors.setOrigin(clock.originEpochMs);
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort(new CodeblueError('CB_INTERRUPTED', 'interrupted'));
  ctx.signal?.addEventListener('abort', onInterrupt, { once: true });
  const halt = plan.safety.halt?.errorRate === undefined ? undefined : createHaltMonitor({ errorRate: plan.safety.halt.errorRate, forMs: plan.safety.halt.for }, ctx.store);
  let haltReason: string | undefined;
  let targetExit: TargetExit | undefined;
  const haltWith = (reason: string): boolean => {
    if (stop.signal.aborted) return false;
    haltReason = reason;
    journal.write(journalEntry(clock, { action: 'halt', outcome: 'ok', reason }));
    emit({ type: 'halt', atMs: clock.now(), reason });
    stop.abort(new CodeblueError('CB_INTERRUPTED', reason));
    return true;
  };
  const collectors = input.parts.collectors;
  // Server p95 per service per second comes from the span store's own per-second statistics (taken as each trace
  // completes, so it trails by the store's decisionWait); PHI findings from the scan at ingest.
  input.desk?.setLive({
    halt: haltWith,
    endFault: (name, reason) => input.timeline.endFault(name, reason),
    activeFaults: () => input.timeline.activeFaults().map((f) => f.name),
    spanAggregates: () => collectors.store.aggregates(),
    serviceSeconds: () => collectors.store.spanSeconds().perSecond(),
    phi: () => collectors.phi(),
  });
  void input.target?.exited.then(({ code, signal }) => {
    if (stop.signal.aborted || targetExit) return;
    targetExit = { atMs: clock.now(), code, signal };
    journal.write(journalEntry(clock, { action: 'halt', outcome: 'error', reason: `target exited during the run (${signal ?? `code ${code}`}); recorded as a finding` }));
    emit({ type: 'target-exit', atMs: clock.now(), code, signal });
  });

  const phases = runPhases(plan.phases, clock, stop.signal, (phase) => {
    input.parts.collectors.setPhase(phase.name, clock.wallAt(clock.now()));
    journal.write(journalEntry(clock, { action: 'phase-start', phase: phase.name, outcome: 'ok' }));
    emit({ type: 'phase', atMs: clock.now(), phase: phase.name });
  });
  const faults = input.timeline.run(stop.signal);
  // Acknowledged writes wait in the run folder until the read-back (flat memory in a soak).
  const ledger = createLedger(plan.ledger.maxRecords, { spillPath: ctx.folder.path('ledger-writes.ndjson.gz'), seed: plan.seed });
  // Joined against the store as the run goes: only the latest requests' ids are held (flat memory in a soak).
  const join = createRequestJoin({ phaseOf: (s) => phaseAt(plan.phases, s.startedAt), servers: collectors.store });
  const synthetic = createSyntheticData(plan.seed);
  const secrets = input.parts.secrets;
  const load = driveLoad(ctx, {
    parts: input.parts, stop: stop.signal, join, ledger, synthetic, secrets, onThresholdAbort: haltWith,
    onTick: (atMs) => {
      const reason = halt?.check(atMs);
      if (reason) haltWith(reason);
      emit({ type: 'tick', atMs, phase: phaseAt(plan.phases, atMs), activeFaults: input.timeline.activeFaults().map((f) => f.name), stats: tickStats(ctx.store, atMs) });
    },
  });
  try {
    const outcome = await load;
    // Phases and faults outlive the load when the plan's phases are longer than its scenarios.
    if (!stop.signal.aborted) await Promise.all([phases, faults]);
    return {
      status: haltReason !== undefined ? 'halted' : ctx.signal?.aborted ? 'interrupted' : 'completed',
      ...(haltReason === undefined ? {} : { haltReason }),
      ...(outcome.engine === 'embedded' ? { load: outcome.result } : { k6ExitCode: outcome.exitCode }),
      ...(targetExit ? { targetExit } : {}),
      ledger, join, syntheticValues: synthetic.listValues(), secretValues: secrets,
    };
  } finally {
    input.desk?.setLive(undefined);
    if (!stop.signal.aborted) stop.abort(new CodeblueError('CB_INTERRUPTED', 'run complete'));
    await Promise.allSettled([phases, faults]);
    ctx.signal?.removeEventListener('abort', onInterrupt);
  }
}
