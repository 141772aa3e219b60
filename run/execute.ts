/** @module run: a game day end to end — run it, evaluate it, write every output, and say the verdict. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildRunDashboard, parseJournal } from '../dashboards/index.js';
import type { JournalEntry } from '../core/index.js';
import type { Plan } from '../plan/index.js';
import { writeK6Script } from '../scenarios/index.js';
import { addSpanAnalysis, evaluateRun, exitCodeFor, gatesRun, startEvaluation, writeReports, type ReportFormat, type RunEvaluation, type RunResults } from '../reports/index.js';
import { runGameDay, type GameDayOptions, type GameDayRecord } from './game-day.js';
import { evaluationInputOf } from './evaluation-input.js';
import type { RunEvent, RunLatency } from './events.js';

export interface GameDayOutcome {
  readonly exitCode: number;
  readonly runDir: string;
  readonly results: RunResults;
  readonly record: GameDayRecord;
}

export type ExecuteOptions = GameDayOptions & {
  /** Grafana release the run folder's dashboard.json is for (default: the oldest supported). */
  readonly grafanaVersion?: string;
};

const REPORT_OUTPUTS: Readonly<Record<string, ReportFormat>> = { json: 'json', html: 'html', junit: 'junit', markdown: 'markdown' };

/**
 * Runs the plan and writes the run folder; the exit code follows design.md (0 pass, 1 fail/halt, 130 interrupted).
 * The verdict is said (a `verdict` event) as soon as everything it reads is in; the after-run pass over the kept
 * spans and the reports follow, then `run-end` repeats it with the report's path.
 */
export async function executeGameDay(plan: Plan, options: ExecuteOptions): Promise<GameDayOutcome> {
  let evaluation: RunEvaluation | undefined;
  const record = await runGameDay(plan, {
    ...options,
    onRecorded: (early) => {
      options.onEvent?.({ type: 'step', message: 'evaluating the verdict (SLOs, thresholds, checks, ledger, PHI)' });
      evaluation = startEvaluation(evaluationInputOf(early, readJournal(early)));
      options.onEvent?.({ type: 'verdict', ...verdictOf(evaluation.verdict, early) });
    },
  });
  // Evaluated once: the rest of the results after the verdict, then what the span pass adds (no verdict reads either).
  const results = evaluation ? withSpanAnalysis(evaluation.results(), record) : evaluateRecord(record);
  // results.json is always written (reports, dashboards and `codeblue report` read it); the rest as the plan asks.
  const formats = [...new Set<ReportFormat>(['json', ...plan.outputs.flatMap((o) => (typeof o === 'string' && REPORT_OUTPUTS[o] ? [REPORT_OUTPUTS[o] as ReportFormat] : []))])];
  const written = writeReports(record.folder.dir, results, formats);
  const journal = results.journal;
  if (plan.outputs.includes('dashboard')) {
    const dashboard = buildRunDashboard(plan, journal, { runId: record.runId, startEpochMs: record.startedAtEpochMs, endEpochMs: record.endedAtEpochMs, ...(options.grafanaVersion === undefined ? {} : { grafanaVersion: options.grafanaVersion }) });
    writeFileSync(record.folder.path('dashboard.json'), `${JSON.stringify(dashboard, null, 2)}\n`);
  }
  if (plan.outputs.includes('k6') && !existsSync(record.folder.path('k6/script.ts'))) {
    // The same workload as a k6 script, for teams that run k6 (or k6-operator) themselves.
    writeK6Script(plan, record.folder.path('k6'), { seed: plan.seed });
  }
  const exitCode = exitCodeFor(results);
  const report = written.find((f) => f.endsWith('report.html'));
  options.onEvent?.({
    type: 'run-end',
    ...verdictOf(results, record),
    ...(report ? { report } : {}),
    ...(record.endpoints?.metricsUrl ? { metricsUrl: record.endpoints.metricsUrl } : {}),
  });
  return { exitCode, runDir: record.folder.dir, results, record };
}

/** The record evaluated with the run folder's journal as it stands. */
function evaluateRecord(record: GameDayRecord): RunResults {
  return evaluateRun(evaluationInputOf(record, readJournal(record)));
}

/** The evaluated results plus the after-run span pass, with the journal as it ends (the pass may note an incident). */
function withSpanAnalysis(evaluated: RunResults, record: GameDayRecord): RunResults {
  const a = record.spanAnalysis;
  return addSpanAnalysis(evaluated, a ? { perSecond: a.perSecond, windows: a.windows, slowTraces: a.slowTraces } : {}, readJournal(record));
}

const readJournal = (record: GameDayRecord): JournalEntry[] => parseJournal(readFileSync(record.journalPath, 'utf8'), record.journalPath);

/** What the `verdict` and `run-end` events say of the results. */
function verdictOf(results: RunEvaluation['verdict'], record: GameDayRecord): Omit<Extract<RunEvent, { type: 'verdict' }>, 'type'> {
  return {
    status: results.meta.status,
    exitCode: exitCodeFor(results),
    runDir: record.folder.dir,
    reasons: results.verdicts.filter((v) => !v.pass && gatesRun(v)).map((v) => `${v.kind} ${v.name}${v.phase ? ` [${v.phase}]` : ''}: ${v.message}`),
    notes: results.verdicts.filter((v) => !v.pass && v.gating === false).map((v) => `${v.kind} ${v.name}${v.phase ? ` [${v.phase}]` : ''}: ${v.message}`),
    ...(record.abortedRequests > 0 ? { abortedRequests: record.abortedRequests } : {}),
    ...latencyOf(results),
  };
}

/** The run table's total row as the run-end event's latency line; nothing when no request completed. */
function latencyOf(results: Pick<RunResults, 'phaseTables'>): { latency?: RunLatency } {
  const total = results.phaseTables.find((t) => t.scope === 'run')?.total;
  if (!total || total.p95Ms === null || total.p99Ms === null) return {};
  return {
    latency: {
      p95Ms: total.p95Ms, p99Ms: total.p99Ms,
      ...(total.p95CorrectedMs != null ? { p95CorrectedMs: total.p95CorrectedMs } : {}),
      ...(total.p99CorrectedMs != null ? { p99CorrectedMs: total.p99CorrectedMs } : {}),
    },
  };
}
