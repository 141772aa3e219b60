/**
 * @module dashboards: a run's journal as Grafana annotations with the journal's exact times — fault windows
 * and phases as regions (`POST /api/annotations`, epoch ms `time`/`timeEnd`, tags; Grafana docs,
 * developers/http_api/annotations.md). Posted with `dashboardUID`, the dashboard's built-in
 * "Annotations & Alerts" query shows them; the tags also let any dashboard query them.
 */
import type { JournalEntry } from '../core/index.js';
import { CodeblueError } from '../core/index.js';
import { postGrafana, type GrafanaTarget } from './grafana-api.js';
import { faultWindows } from './run-dashboard.js';

/** The body of one `POST /api/annotations`. */
export interface GrafanaAnnotation {
  readonly dashboardUID?: string;
  /** Epoch ms. */
  readonly time: number;
  readonly timeEnd: number;
  readonly tags: readonly string[];
  readonly text: string;
}

/** One region per fault window and per phase, on wall-clock time (epoch ms) derived from the journal. */
export function journalAnnotationRequests(journal: readonly JournalEntry[], options: { runId?: string; dashboardUid?: string } = {}): GrafanaAnnotation[] {
  const first = journal[0];
  if (first === undefined) return [];
  // Offsets count from the baseline start (run/ restarts its clock there); entries before it count from the run's start.
  const anchor = journal.find((e) => e.action === 'phase-start') ?? first;
  const base = Date.parse(anchor.time) - anchor.offsetMs;
  const endMs = Math.max(...journal.map((e) => e.offsetMs));
  const common = ['codeblue', ...(options.runId === undefined ? [] : [`run:${options.runId}`])];
  const scope = options.dashboardUid === undefined ? {} : { dashboardUID: options.dashboardUid };
  const faults = faultWindows(journal).map((w): GrafanaAnnotation => ({
    ...scope,
    time: base + w.startMs,
    timeEnd: base + (w.endMs ?? endMs),
    tags: [...common, 'fault', `proxy:${w.proxy}`, `toxic:${w.toxic}`],
    text: `fault ${w.proxy} · ${w.toxic}${w.type === undefined ? '' : ` (${w.type})`}${w.endMs === undefined ? ' — never switched off' : ''}`,
  }));
  const starts = journal.filter((e) => e.action === 'phase-start' && e.phase !== undefined);
  const phases = starts.map((e, i): GrafanaAnnotation => ({
    ...scope,
    time: base + e.offsetMs,
    timeEnd: base + (starts[i + 1]?.offsetMs ?? endMs),
    tags: [...common, 'phase', `phase:${String(e.phase)}`],
    text: `phase ${String(e.phase)}`,
  }));
  return [...faults, ...phases];
}

/** Posts each annotation; resolves with Grafana's annotation ids. */
export async function pushAnnotations(target: GrafanaTarget & { readonly annotations: readonly GrafanaAnnotation[] }): Promise<number[]> {
  const ids: number[] = [];
  for (const a of target.annotations) {
    const json = await postGrafana(target, '/api/annotations', a);
    if (typeof json?.id !== 'number') {
      throw new CodeblueError('CB_GRAFANA_API', `${target.grafanaUrl} answered /api/annotations without an id`, { hint: 'is --grafana the Grafana base URL?' });
    }
    ids.push(json.id);
  }
  return ids;
}

/** Parses a run folder's `journal.ndjson`; a broken line is CB_RUN_DIR_INVALID naming the line. */
export function parseJournal(text: string, file = 'journal.ndjson'): JournalEntry[] {
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      entry = undefined;
    }
    const e = entry as Partial<JournalEntry> | undefined;
    if (e === undefined || typeof e !== 'object' || e === null || typeof e.time !== 'string' || Number.isNaN(Date.parse(e.time)) || typeof e.offsetMs !== 'number' || typeof e.action !== 'string') {
      throw new CodeblueError('CB_RUN_DIR_INVALID', `${file}:${i + 1} is not a journal entry ({time, offsetMs, action, …})`, { hint: 'pass the journal.ndjson of a run folder (runs/<id>/journal.ndjson)' });
    }
    return [e as JournalEntry];
  });
}
