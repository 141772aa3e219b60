/**
 * @module dashboards: the dashboard of a finished run (the run folder's `dashboard.json`): fixed to the run's
 * time range, its run preselected, and one annotation per fault window and per phase change from the journal.
 */
import type { JournalEntry } from '../core/index.js';
import { CodeblueError, formatClock } from '../core/index.js';
import type { Plan } from '../plan/index.js';
import { buildDashboard, type AnnotationSpec } from './build.js';
import { metric, selector } from './promql.js';

export interface RunDashboardOptions {
  readonly runId: string;
  /** Wall-clock start and end of the run (epoch ms). */
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  /** Prometheus datasource name or uid selected by default. */
  readonly datasource?: string;
  /** Grafana release the JSON is for (`11.6`, `latest`); default the oldest supported. */
  readonly grafanaVersion?: string;
}

/** A fault's on→off window from the journal, on the run clock (ms). `endMs` undefined = never switched off. */
export interface FaultWindow {
  readonly proxy: string;
  readonly toxic: string;
  readonly type?: string;
  readonly startMs: number;
  readonly endMs?: number;
}

/** Pairs each successful `fault-on` with the next `fault-off` of the same proxy and toxic. */
export function faultWindows(journal: readonly JournalEntry[]): FaultWindow[] {
  const open = new Map<string, FaultWindow>();
  const done: FaultWindow[] = [];
  for (const e of journal) {
    if ((e.action !== 'fault-on' && e.action !== 'fault-off') || e.proxy === undefined || e.toxic === undefined) continue;
    const key = `${e.proxy}\u0000${e.toxic}`;
    if (e.action === 'fault-on' && e.outcome === 'ok' && !open.has(key)) {
      open.set(key, { proxy: e.proxy, toxic: e.toxic, ...(e.type === undefined ? {} : { type: e.type }), startMs: e.offsetMs });
    } else if (e.action === 'fault-off') {
      const w = open.get(key);
      if (w === undefined) continue;
      open.delete(key);
      done.push({ ...w, endMs: e.offsetMs });
    }
  }
  return [...done, ...open.values()].sort((a, b) => a.startMs - b.startMs);
}

/** One annotation query per fault window and per phase change of the journal. */
export function journalAnnotations(journal: readonly JournalEntry[]): AnnotationSpec[] {
  const faults = faultWindows(journal).map((w): AnnotationSpec => ({
    name: `fault ${w.proxy} · ${w.toxic}${w.type === undefined || w.type === w.toxic ? '' : ` (${w.type})`} ${formatClock(w.startMs)}–${w.endMs === undefined ? 'end' : formatClock(w.endMs)}`,
    expr: `${metric('codeblue_fault_active')}${selector({ proxy: w.proxy, toxic: w.toxic })} == 1`,
    iconColor: 'red',
    titleFormat: `fault ${w.proxy} · ${w.toxic}`,
    tagKeys: 'proxy,toxic',
    step: '1s',
  }));
  const seen = new Set<string>();
  const phases: AnnotationSpec[] = [];
  for (const e of journal) {
    if (e.action !== 'phase-start' || e.phase === undefined || seen.has(e.phase)) continue;
    seen.add(e.phase);
    phases.push({
      name: `phase ${e.phase} from ${formatClock(e.offsetMs)}`,
      expr: `${metric('codeblue_phase')}${selector({ phase: e.phase })} == 1`,
      iconColor: 'blue',
      titleFormat: `phase ${e.phase}`,
      tagKeys: 'phase',
      step: '1s',
    });
  }
  return [...faults, ...phases];
}

/**
 * The run folder's dashboard: fixed time range, no auto-refresh, the run preselected.
 * @example buildRunDashboard(plan, readJournal(dir), { runId, startEpochMs, endEpochMs })
 */
export function buildRunDashboard(plan: Plan, journal: readonly JournalEntry[], options: RunDashboardOptions): Record<string, unknown> {
  if (!(options.endEpochMs >= options.startEpochMs)) {
    throw new CodeblueError('CB_USAGE', `run dashboard: the run ends (${options.endEpochMs}) before it starts (${options.startEpochMs})`, {
      hint: 'pass the run start and end as epoch milliseconds, start ≤ end',
    });
  }
  return buildDashboard(plan, {
    runId: options.runId,
    uid: `cb-run-${options.runId}`,
    title: `codeblue · ${plan.name} · run ${options.runId}`,
    timeRange: { from: new Date(options.startEpochMs).toISOString(), to: new Date(options.endEpochMs).toISOString() },
    refresh: '',
    annotations: journalAnnotations(journal),
    ...(options.datasource === undefined ? {} : { datasource: options.datasource }),
    ...(options.grafanaVersion === undefined ? {} : { grafanaVersion: options.grafanaVersion }),
  });
}

