/** @module run: the reports' `LoadQuery` over the run's per-second HDR MetricStore (k6 metric names and tags). */
import type { MetricQuery, MetricStore, SettledQueries, Tags } from '../core/metrics/index.js';
import type { LoadFilter, LoadQuery, SecondFilter, SecondRow, WindowStats } from '../reports/index.js';

/** Requests per scenario counted at their scheduled (intended) start, recorded by the embedded engine's sink. */
export const REQUESTS_BY_INTENDED_START = 'http_reqs_by_intended_start';

/** The duration and failure metrics a query reads: HTTP requests (k6) or HL7 messages of `mllp` steps. */
function metricsOf(f: { events?: 'http' | 'hl7'; latencyFrom?: 'start' | 'intended' }): { duration: string; failed: string } {
  if (f.events === 'hl7') return { duration: 'hl7_msg_duration', failed: 'hl7_msg_failed' };
  return { duration: f.latencyFrom === 'intended' ? 'http_req_duration_corrected' : 'http_req_duration', failed: 'http_req_failed' };
}

/**
 * Adapts the store; queries are answered from histograms, never from a list of samples. With `live` (a run still
 * recording, evaluated every second), settled seconds are merged once and their per-second rows kept.
 */
export function loadQueryOf(store: MetricStore, live?: SettledQueries): LoadQuery {
  const query = live ? (q: MetricQuery) => live.query(q) : (q: MetricQuery) => store.query(q);
  const kept = new Map<string, { rows: Map<number, SecondRow>; through: number }>();
  /** Rows of settled seconds from the cache, newer ones read again. */
  const settledRows = (f: SecondFilter): Map<number, SecondRow> => {
    const key = JSON.stringify(f);
    let k = kept.get(key);
    if (!k) kept.set(key, (k = { rows: new Map(), through: 0 }));
    const changed = live?.changedFrom() ?? Infinity;
    if (changed < k.through) {
      for (const second of k.rows.keys()) if (second >= changed) k.rows.delete(second);
      k.through = changed;
    }
    const fresh = secondRows(store, f, k.through);
    const settled = live?.settledSecond() ?? 0;
    for (const [second, row] of fresh) if (second < settled) k.rows.set(second, row);
    k.through = Math.max(k.through, settled);
    return new Map([...k.rows, ...fresh]);
  };
  return {
    endpoints: () => endpointsOf(store, 'http_reqs'),
    hl7Endpoints: () => endpointsOf(store, 'hl7_msgs'),
    window(f: LoadFilter): WindowStats {
      const range = { tags: tagsOf(f), fromMs: f.fromMs, toMs: f.toMs };
      const m = metricsOf(f);
      const duration = query({ metric: m.duration, ...range });
      const failed = query({ metric: m.failed, ...range });
      return {
        count: duration.samples,
        failed: failed.passes,
        latency: { p: (q) => duration.percentile(q), countAtOrBelow: (ms) => duration.countAtOrBelow(ms), avg: duration.avg, min: duration.min, max: duration.max },
      };
    },
    authWindow(metric, fromMs, toMs): WindowStats {
      const a = query({ metric, fromMs, toMs });
      return { count: a.samples, failed: a.passes, latency: { p: (q) => a.percentile(q), countAtOrBelow: (ms) => a.countAtOrBelow(ms), avg: a.avg, min: a.min, max: a.max } };
    },
    exemplars: (f) => store.exemplars.query(f),
    metric: (metric, fromMs, toMs, tags) => query({ metric, fromMs, toMs, ...(Object.keys(tags).length > 0 ? { tags } : {}) }),
    perSecond(f: SecondFilter): readonly SecondRow[] {
      const rows = live ? settledRows(f) : secondRows(store, f, 0);
      if (f.events !== 'hl7' && f.name === undefined && f.countsOnly !== true && store.typeOf(REQUESTS_BY_INTENDED_START) !== undefined) {
        for (const { second, aggregate: a } of store.timeline({ metric: REQUESTS_BY_INTENDED_START, tags: f.scenario === undefined ? {} : { scenario: f.scenario } })) {
          rows.set(second, { ...(rows.get(second) ?? emptyRow(second)), byIntendedStart: a.count });
        }
      }
      return [...rows.values()].sort((a, b) => a.startMs - b.startMs);
    },
  };
}

/** Every scenario × name tag pair of a count metric's series, sorted. */
function endpointsOf(store: MetricStore, metric: 'http_reqs' | 'hl7_msgs'): { scenario: string; name: string }[] {
  const seen = new Map<string, { scenario: string; name: string }>();
  for (const s of store.list()) {
    if (s.metric !== metric) continue;
    const scenario = s.tags.scenario ?? '';
    const name = s.tags.name ?? '';
    seen.set(`${scenario}\u0000${name}`, { scenario, name });
  }
  return [...seen.values()].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name));
}

type Row = { -readonly [K in keyof SecondRow]: SecondRow[K] };
const emptyRow = (second: number): Row => ({ startMs: second * 1000, count: 0, failed: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0 });

const tagsOf = (f: { scenario?: string; name?: string; status?: number; expectedResponse?: boolean }): Tags => ({
  ...(f.scenario === undefined ? {} : { scenario: f.scenario }),
  ...(f.name === undefined ? {} : { name: f.name }),
  ...(f.status === undefined ? {} : { status: String(f.status) }),
  ...(f.expectedResponse === undefined ? {} : { expected_response: String(f.expectedResponse) }),
});

/** The rows of seconds ≥ `fromSecond` (all but the backdated requests-by-intended-start count). */
function secondRows(store: MetricStore, f: SecondFilter, fromSecond: number): Map<number, SecondRow> {
  const tags = tagsOf(f);
  const fromMs = fromSecond * 1000;
  const rows = new Map<number, Row>();
  const row = (second: number): Row => {
    let r = rows.get(second);
    if (!r) rows.set(second, (r = emptyRow(second)));
    return r;
  };
  const m = metricsOf(f);
  if (f.countsOnly && f.atOrBelowMs === undefined) {
    // Counts alone: the failure series (a rate, one sample per request) has them without a histogram merge per second.
    for (const { second, aggregate: a } of store.timeline({ metric: m.failed, tags, fromMs })) Object.assign(row(second), { count: a.samples, failed: a.passes });
    return rows;
  }
  for (const { second, aggregate: a } of store.timeline({ metric: m.duration, tags, fromMs })) {
    const r = row(second);
    r.count = a.samples;
    if (!f.countsOnly) Object.assign(r, { p50Ms: a.percentile(50), p95Ms: a.percentile(95), p99Ms: a.percentile(99) });
    if (f.atOrBelowMs !== undefined) r.atOrBelow = a.countAtOrBelow(f.atOrBelowMs);
  }
  for (const { second, aggregate: a } of store.timeline({ metric: m.failed, tags, fromMs })) row(second).failed = a.passes;
  if (f.events === 'hl7' || f.countsOnly) return rows;
  // VUs are recorded per run (not per scenario or request); show them on the overall rows only.
  if (f.scenario === undefined && f.name === undefined) {
    for (const { second, aggregate: a } of store.timeline({ metric: 'vus', fromMs })) row(second).vus = a.value;
  }
  if (f.name === undefined) {
    for (const { second, aggregate: a } of store.timeline({ metric: 'dropped_iterations', tags: f.scenario === undefined ? {} : { scenario: f.scenario }, fromMs })) row(second).droppedIterations = a.count;
  }
  return rows;
}
