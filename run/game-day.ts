/**
 * @module run: one game day — validate targets, start what is embedded, create proxies, start the target,
 * check the steady state, run baseline → fault → recovery with load throughout and faults on their clock,
 * halt when told, roll back on every path, check the steady state again, read the ledger back, collect.
 */
import { writeFileSync } from 'node:fs';
import { assertTargetAllowed, CodeblueError, deferredClock, describeError, newRunId, type Clock, type DeferredClock, type RequestSample, type Sink, type TargetPolicy } from '../core/index.js';
import { MetricStore, writeMetrics } from '../core/metrics/index.js';
import { createFaultTimeline, createJournal, journalEntry, type FaultTimeline, type JournalWriter, type RollbackResult } from '../chaos/index.js';
import { createRequestJoin, evaluateTraceAssertions, scanForPhi, type CollectorsSummary, type JoinResult, type PhiScanResult, type TraceAssertion, type TraceAssertionResult } from '../collectors/index.js';
import type { Plan } from '../plan/index.js';
import { createSyntheticData, findK6, runLoad, runPlanWithK6, type LoadResult } from '../scenarios/index.js';
import { startEmbedded, type EmbeddedParts } from './embedded.js';
import type { RunEventListener } from './events.js';
import { createHaltMonitor } from './halt-monitor.js';
import { checkHypothesis, isProbe, type ProbeResult } from './hypothesis.js';
import { createLedger, verifyLedger, type LedgerResult } from './ledger.js';
import { phaseAt, runPhases } from './phase-clock.js';
import { createRunFolder, type RunFolder } from './run-folder.js';
import { createRunJournal, type RunJournal } from './run-journal.js';
import { startTarget, waitForHealth, type TargetProcess } from './target-process.js';
import { tickStats } from './tick-stats.js';

export interface GameDayOptions {
  /** Root of run folders (`runs/`). */
  readonly outRoot: string;
  readonly allowRemote?: boolean;
  /** Aborting it interrupts the run: load stops, faults roll back, partial results are written. */
  readonly signal?: AbortSignal;
  readonly onEvent?: RunEventListener;
  readonly runId?: string;
  /** Working directory for `target.start` (default: the current one). */
  readonly cwd?: string;
  /** Told where this run's proxies live as soon as they exist, so a crash handler can still remove them. */
  readonly onChaosReady?: (chaos: { readonly url: string; readonly prefix: string }) => void;
  /** `k6` runs the compiled script with a real k6 binary and ingests its JSON output afterwards. */
  readonly engine?: 'embedded' | 'k6';
}

export type GameDayStatus = 'completed' | 'halted' | 'interrupted' | 'aborted-steady-state';

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
  readonly ledger?: LedgerResult;
  readonly join?: JoinResult;
  readonly phi?: PhiScanResult;
  readonly spans?: CollectorsSummary;
  /** Trace assertions of the hypothesis, evaluated per phase over the collected spans. */
  readonly traceAssertions?: readonly TraceAssertionResult[];
  readonly rollback?: RollbackResult;
  readonly targetExit?: { readonly atMs: number; readonly code: number | null; readonly signal: string | null };
  /** Problems with codeblue's own machinery during the run (never target failures). */
  readonly incidents: readonly string[];
}

export async function runGameDay(plan: Plan, options: GameDayOptions): Promise<GameDayRecord> {
  const emit: RunEventListener = (e) => options.onEvent?.(e);
  const policy: TargetPolicy = { allowHosts: plan.safety.allowHosts, allowRemote: options.allowRemote === true };
  await assertTargetAllowed(plan.target.baseUrl, policy);
  for (const proxy of plan.proxies) {
    await assertTargetAllowed(proxy.listen, policy);
    await assertTargetAllowed(proxy.upstream, policy);
  }
  if (options.engine === 'k6' && (await findK6()) === undefined) {
    throw new CodeblueError('CB_K6_NOT_FOUND', '--engine k6 needs the k6 binary, and none is on PATH', { hint: 'install k6, or drop --engine k6 to use the embedded engine' });
  }
  const runId = options.runId ?? newRunId();
  const folder = createRunFolder(options.outRoot, runId, plan.name);
  folder.writeJson('plan.json', plan);
  const journal = createRunJournal(createJournal(folder.path('journal.ndjson')));
  const startedAtEpochMs = Date.now();
  // One clock for phases, faults, load and journal; offset 0 is the start of the first phase.
  const runClock = deferredClock();
  journal.write(journalEntry(runClock, { action: 'run-start', outcome: 'ok', reason: `plan ${plan.file}, run ${runId}` }));
  emit({ type: 'run-start', runId, plan: plan.file, runDir: folder.dir, runLengthMs: plan.runLengthMs, phases: plan.phases, faults: plan.faults.map((f) => ({ name: f.name, proxy: f.proxy, toxic: f.toxic, startMs: f.startMs, endMs: f.endMs })) });

  const incidents: string[] = [];
  const ctx: Mutable = { status: 'completed', hypothesisBefore: [], hypothesisAfter: [], store: new MetricStore(), clockOriginEpochMs: startedAtEpochMs };
  let parts: EmbeddedParts | undefined;
  let timeline: FaultTimeline | undefined;
  let target: TargetProcess | undefined;
  let live: LiveOutcome | undefined;
  try {
    emit({ type: 'step', message: plan.chaos.server === 'embedded' ? 'starting the embedded chaos server and collectors' : `using Toxiproxy at ${plan.chaos.server}; starting collectors` });
    parts = await startEmbedded(plan, runId, folder.dir);
    timeline = createFaultTimeline({
      serverUrl: parts.chaosUrl, runId, proxies: plan.proxies, faults: plan.faults, clock: runClock, journal,
      onEvent: (e) => {
        parts?.collectors.recordFault(e);
        const fault = plan.faults.find((f) => f.name === e.toxic);
        emit({ type: 'fault', atMs: e.at, action: e.action, name: e.toxic, proxy: fault?.proxy ?? e.proxy, toxic: e.type, outcome: e.outcome, ...(e.error ? { error: e.error } : {}) });
      },
    });
    options.onChaosReady?.({ url: parts.chaosUrl, prefix: timeline.prefix });
    await timeline.setup();
    if (plan.target.start) {
      emit({ type: 'step', message: `starting the target: ${plan.target.start}` });
      target = startTarget({
        command: plan.target.start,
        cwd: plan.target.cwd ?? options.cwd ?? process.cwd(),
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: parts.collectors.receiver.url, ...plan.target.env },
        logFile: folder.path('target.log'),
      });
    }
    await waitForHealth(new URL(plan.target.health, plan.target.baseUrl).href, plan.target.healthTimeout, target, options.signal);
    emit({ type: 'target-ready', baseUrl: plan.target.baseUrl, startedByUs: target !== undefined });

    ctx.hypothesisBefore = await probe(plan, 'before', journal, runClock, emit, options.signal);
    if (ctx.hypothesisBefore.some((r) => !r.pass)) {
      ctx.status = 'aborted-steady-state';
      journal.write(journalEntry(runClock, { action: 'halt', outcome: 'ok', reason: 'steady state not met before the faults; no load or faults were applied' }));
    } else {
      live = await runPhasesWithLoad(plan, { ctx, parts, timeline, target, journal, emit, incidents, signal: options.signal, clock: runClock, folder, engine: options.engine ?? 'embedded', allowRemote: options.allowRemote === true });
    }
  } catch (err) {
    if (options.signal?.aborted) ctx.status = 'interrupted';
    else throw err;
  } finally {
    await finish(plan, { ctx, parts, timeline, target, journal, emit, incidents, folder, clock: runClock, live });
  }
  return {
    runId, plan, folder, journalPath: journal.path, startedAtEpochMs, endedAtEpochMs: Date.now(), incidents, ...ctx,
  } as GameDayRecord;
}

type Mutable = { -readonly [K in keyof Omit<GameDayRecord, 'runId' | 'plan' | 'folder' | 'journalPath' | 'startedAtEpochMs' | 'endedAtEpochMs' | 'incidents'>]: GameDayRecord[K] };

interface LiveDeps {
  readonly ctx: Mutable;
  readonly parts: EmbeddedParts;
  readonly timeline: FaultTimeline;
  readonly target: TargetProcess | undefined;
  readonly journal: RunJournal;
  readonly emit: RunEventListener;
  readonly incidents: string[];
  readonly signal: AbortSignal | undefined;
  readonly clock: DeferredClock;
  readonly folder: RunFolder;
  readonly engine: 'embedded' | 'k6';
  readonly allowRemote: boolean;
}

/** Baseline → fault → recovery: phases, the fault timeline and the load share one clock. */
async function runPhasesWithLoad(plan: Plan, d: LiveDeps): Promise<LiveOutcome> {
  const { ctx, parts, timeline, journal, emit, clock } = d;
  clock.start();
  journal.startAt(clock.originEpochMs);
  const stop = new AbortController();
  const abortRun = (): void => stop.abort(new CodeblueError('CB_INTERRUPTED', 'interrupted'));
  d.signal?.addEventListener('abort', abortRun, { once: true });
  ctx.clockOriginEpochMs = clock.originEpochMs;
  const halt = plan.safety.halt?.errorRate === undefined ? undefined : createHaltMonitor({ errorRate: plan.safety.halt.errorRate, forMs: plan.safety.halt.for }, ctx.store);
  const join = createRequestJoin({ phaseOf: (s) => phaseAt(plan.phases, s.startedAt) });
  const ledger = createLedger();
  const registry = parts.collectors.registry;
  const samples: Sink<RequestSample> = { add: (s) => { registry.requests.add(s); join.add(s); } };
  const synthetic = createSyntheticData(plan.seed);
  const haltWith = (reason: string): void => {
    if (stop.signal.aborted) return;
    ctx.status = 'halted';
    ctx.haltReason = reason;
    journal.write(journalEntry(clock, { action: 'halt', outcome: 'ok', reason }));
    emit({ type: 'halt', atMs: clock.now(), reason });
    stop.abort(new CodeblueError('CB_INTERRUPTED', reason));
  };
  d.target?.exited.then(({ code, signal }) => {
    if (stop.signal.aborted || ctx.targetExit) return;
    ctx.targetExit = { atMs: clock.now(), code, signal };
    journal.write(journalEntry(clock, { action: 'halt', outcome: 'error', reason: `target exited during the run (${signal ?? `code ${code}`}); recorded as a finding` }));
    emit({ type: 'target-exit', atMs: clock.now(), code, signal });
  });

  const phases = runPhases(plan.phases, clock, stop.signal, (phase) => {
    parts.collectors.setPhase(phase.name, clock.wallAt(clock.now()));
    journal.write(journalEntry(clock, { action: 'phase-start', phase: phase.name, outcome: 'ok' }));
    emit({ type: 'phase', atMs: clock.now(), phase: phase.name });
  });
  const faults = timeline.run(stop.signal);
  const load = d.engine === 'k6' ? runWithK6(plan, d.folder, ctx, stop.signal, emit, d.allowRemote) : runLoad({
    baseUrl: plan.target.baseUrl, scenarios: plan.scenarios, thresholds: plan.thresholds, safety: plan.safety,
    clock, signal: stop.signal, store: ctx.store, samples, checks: registry.checks, ledger, synthetic,
    onAbort: (a) => { if (a.reason === 'threshold') haltWith(a.message); else if (a.reason !== 'signal') d.incidents.push(a.message); },
    onTick: (atMs) => {
      const reason = halt?.check(atMs);
      if (reason) haltWith(reason);
      emit({ type: 'tick', atMs, phase: phaseAt(plan.phases, atMs), activeFaults: timeline.activeFaults().map((f) => f.name), stats: tickStats(ctx.store, atMs) });
    },
  });
  try {
    const result = await load;
    if (result) ctx.load = result;
    // Phases and faults outlive the load when the plan's phases are longer than its scenarios.
    if (!stop.signal.aborted) await Promise.all([phases, faults]);
  } finally {
    if (!stop.signal.aborted) stop.abort(new CodeblueError('CB_INTERRUPTED', 'run complete'));
    await Promise.allSettled([phases, faults]);
    d.signal?.removeEventListener('abort', abortRun);
    if (d.signal?.aborted && ctx.status === 'completed') ctx.status = 'interrupted';
  }
  return { ledger, join, syntheticValues: synthetic.listValues() };
}

/** What the live part hands to the finish: writes to read back, the trace join, the values to scan for. */
interface LiveOutcome {
  readonly ledger: ReturnType<typeof createLedger>;
  readonly join: ReturnType<typeof createRequestJoin>;
  readonly syntheticValues: readonly string[];
}

/**
 * Real k6 on the compiled script. Its JSON output is ingested when it ends, so the live view, the halt monitor
 * and the trace join see nothing during the run; k6's own thresholds (abortOnFail) still stop it.
 */
async function runWithK6(plan: Plan, folder: RunFolder, ctx: Mutable, signal: AbortSignal, emit: RunEventListener, allowRemote: boolean): Promise<undefined> {
  const run = await runPlanWithK6(plan, {
    dir: folder.path('k6'), store: ctx.store, signal, allowRemote, seed: plan.seed,
    onOutput: (line) => emit({ type: 'step', message: `k6: ${line}` }),
  });
  ctx.k6ExitCode = run.exitCode;
  return undefined;
}

interface FinishDeps extends Omit<LiveDeps, 'parts' | 'timeline' | 'signal' | 'engine' | 'allowRemote'> {
  readonly parts: EmbeddedParts | undefined;
  readonly timeline: FaultTimeline | undefined;
  readonly folder: RunFolder;
  readonly live: LiveOutcome | undefined;
}

/** Every exit path: roll back, check the steady state again, read the ledger back, stop, collect, write samples. */
async function finish(plan: Plan, d: FinishDeps): Promise<void> {
  const { ctx, journal, emit, clock } = d;
  // Faults off first; the proxies stay, because the target reaches its dependencies through them.
  await d.timeline?.clearFaults().catch((err: unknown) => d.incidents.push(`switching faults off: ${describeError(err)}`));
  const targetAlive = d.target === undefined || !d.target.hasExited();
  const loadRan = ctx.load !== undefined || ctx.k6ExitCode !== undefined;
  // An interrupted run hurries: faults off, partial results, no read-backs.
  if (ctx.status !== 'aborted-steady-state' && ctx.status !== 'interrupted' && loadRan && targetAlive) {
    ctx.hypothesisAfter = await probe(plan, 'after', journal, clock, emit).catch(() => []);
    const ledger = d.live?.ledger;
    if (ledger && ledger.total() > 0) {
      emit({ type: 'step', message: `reading back ${ledger.entries().length} acknowledged writes (ledger)` });
      ctx.ledger = await verifyLedger(ledger.entries(), plan.target.baseUrl, ledger.total());
    }
  }
  // Stopping the target first lets it flush its last spans to the receiver.
  await d.target?.stop().catch((err: unknown) => d.incidents.push(`stopping the target: ${describeError(err)}`));
  if (d.timeline) {
    try {
      ctx.rollback = await d.timeline.rollback();
    } catch (err) {
      d.incidents.push(`rollback: ${describeError(err)}`);
      ctx.rollback = { removed: [], leftovers: [`(rollback failed: ${describeError(err)})`] };
    }
    emit({ type: 'rollback', removed: ctx.rollback.removed.length, leftovers: ctx.rollback.leftovers });
  }
  if (d.parts) {
    await new Promise((r) => setTimeout(r, 600));
    ctx.spans = await d.parts.collectors.close().catch((err: unknown) => {
      d.incidents.push(`closing the collectors: ${describeError(err)}`);
      return undefined;
    });
    if (d.live) ctx.join = d.live.join.result(d.parts.collectors.store);
    const spans = d.parts.collectors.store;
    ctx.phi = await scanForPhi({ syntheticValues: [...(d.live?.syntheticValues ?? [])], store: spans }).catch(() => undefined);
    const assertions = plan.hypothesis.filter((h) => !isProbe(h)) as unknown as TraceAssertion[];
    if (assertions.length > 0) ctx.traceAssertions = await evaluateTraceAssertions(assertions, spans);
    await d.parts.close();
  }
  writeMetrics(ctx.store, d.folder.path('samples/metrics.ndjson'), ctx.clockOriginEpochMs);
  if (ctx.ledger) d.folder.writeJson('ledger.json', ctx.ledger);
  for (const incident of d.incidents) {
    journal.write(journalEntry(clock, { action: 'incident', outcome: 'error', reason: incident }));
    emit({ type: 'step', message: `incident: ${incident}` });
  }
  journal.write(journalEntry(clock, { action: 'run-end', outcome: 'ok', reason: ctx.status }));
  journal.flush();
  writeFileSync(d.folder.path('status'), `${ctx.status}\n`);
}

async function probe(plan: Plan, when: 'before' | 'after', journal: JournalWriter, clock: Clock, emit: RunEventListener, signal?: AbortSignal): Promise<ProbeResult[]> {
  const results = await checkHypothesis(plan.hypothesis, plan.target.baseUrl, when, signal);
  for (const r of results) {
    journal.write(journalEntry(clock, { action: 'hypothesis', outcome: r.pass ? 'ok' : 'error', reason: `${when}: ${r.name}: ${r.message}` }));
    emit({ type: 'hypothesis', when, name: r.name, pass: r.pass, message: r.message });
  }
  return results;
}
