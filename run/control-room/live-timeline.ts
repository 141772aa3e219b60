/**
 * @module run/control-room: the charts' per-second columns, read from the run's metric store as the run goes. A second
 * is read again while answers to requests started in it may still arrive; older seconds are kept as they were read,
 * so a tick costs the same at minute 1 and minute 60.
 */
import type { MetricStore, Tags } from '../../core/metrics/index.js';
import type { ServiceSecond } from '../../collectors/index.js';
import type { Timeline } from '../../reports/index.js';

type Columns = Timeline['overall'];

/** Seconds read again at each tick: a request is recorded in the second it started, and may answer this late. */
const SETTLE_SECONDS = 10;

export interface LiveTimeline {
  /** The columns from second 0 to the second of `atMs`; `services`: SERVER span p95 per service and second. */
  update(atMs: number, services: readonly ServiceSecond[]): Timeline;
}

export function createLiveTimeline(store: MetricStore, scenarios: readonly string[]): LiveTimeline {
  const overall = emptyColumns();
  const perScenario = new Map(scenarios.map((s) => [s, emptyColumns()]));
  return {
    update(atMs, services) {
      const last = Math.max(0, Math.floor(atMs / 1000));
      for (let s = Math.max(0, last - SETTLE_SECONDS); s <= last; s++) {
        readSecond(store, s, {}, overall, true);
        for (const [name, cols] of perScenario) readSecond(store, s, { scenario: name }, cols, false);
      }
      const seconds = last + 1;
      return {
        stepMs: 1000,
        startMs: Array.from({ length: seconds }, (_, i) => i * 1000),
        overall: trim(overall, seconds),
        scenarios: Object.fromEntries([...perScenario].map(([n, c]) => [n, trim(c, seconds)])),
        services: serviceColumns(services, seconds),
      };
    },
  };
}

interface MutableColumns {
  requests: number[];
  failed: number[];
  errorRate: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  vus: (number | null)[];
  droppedIterations: number[];
  /** Overall only: from the intended start (http_req_duration_corrected). */
  p95IntendedMs: (number | null)[];
  p99IntendedMs: (number | null)[];
}

const emptyColumns = (): MutableColumns => ({ requests: [], failed: [], errorRate: [], p50Ms: [], p95Ms: [], p99Ms: [], vus: [], droppedIterations: [], p95IntendedMs: [], p99IntendedMs: [] });

function readSecond(store: MetricStore, s: number, tags: Tags, c: MutableColumns, isOverall: boolean): void {
  const range = { tags, fromMs: s * 1000, toMs: (s + 1) * 1000 };
  const d = store.query({ metric: 'http_req_duration', ...range });
  const failed = store.query({ metric: 'http_req_failed', ...range }).passes;
  c.requests[s] = d.samples;
  c.failed[s] = failed;
  c.errorRate[s] = d.samples > 0 ? failed / d.samples : 0;
  c.p50Ms[s] = d.samples > 0 ? round2(d.percentile(50)) : null;
  c.p95Ms[s] = d.samples > 0 ? round2(d.percentile(95)) : null;
  c.p99Ms[s] = d.samples > 0 ? round2(d.percentile(99)) : null;
  // VUs are recorded per run, not per scenario (as in the report).
  const vus = isOverall ? store.query({ metric: 'vus', fromMs: range.fromMs, toMs: range.toMs }) : undefined;
  c.vus[s] = vus && vus.samples > 0 ? vus.value : null;
  c.droppedIterations[s] = store.query({ metric: 'dropped_iterations', ...range }).count;
  if (isOverall) {
    const corrected = store.query({ metric: 'http_req_duration_corrected', ...range });
    c.p95IntendedMs[s] = corrected.samples > 0 ? round2(corrected.percentile(95)) : null;
    c.p99IntendedMs[s] = corrected.samples > 0 ? round2(corrected.percentile(99)) : null;
  }
}

function trim(c: MutableColumns, seconds: number): Columns {
  const fill = <T>(values: T[], empty: T): T[] => Array.from({ length: seconds }, (_, i) => values[i] ?? empty);
  return {
    requests: fill(c.requests, 0), failed: fill(c.failed, 0), errorRate: fill(c.errorRate, 0),
    p50Ms: fill(c.p50Ms, null), p95Ms: fill(c.p95Ms, null), p99Ms: fill(c.p99Ms, null), vus: fill(c.vus, null), droppedIterations: fill(c.droppedIterations, 0),
    // As in the report: only when the engine recorded durations from the intended start.
    ...(c.p95IntendedMs.some((v) => v !== null && v !== undefined) ? { p95IntendedMs: fill(c.p95IntendedMs, null), p99IntendedMs: fill(c.p99IntendedMs, null) } : {}),
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Each service's p95 per second, as the report's `timeline.services`. */
function serviceColumns(rows: readonly ServiceSecond[], seconds: number): Timeline['services'] {
  const out: Record<string, { count: number[]; p95Ms: (number | null)[] }> = {};
  for (const row of rows) {
    const i = Math.floor(row.startMs / 1000);
    if (i < 0 || i >= seconds) continue;
    const col = (out[row.service] ??= { count: new Array<number>(seconds).fill(0), p95Ms: new Array<number | null>(seconds).fill(null) });
    col.count[i] = row.count;
    if (row.count > 0) col.p95Ms[i] = round2(row.p95Ms);
  }
  return out;
}
