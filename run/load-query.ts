/** @module run: the reports' `LoadQuery` over the run's per-second HDR MetricStore (k6 metric names and tags). */
import type { MetricStore, Tags } from '../core/metrics/index.js';
import type { LoadFilter, LoadQuery, SecondFilter, SecondRow, WindowStats } from '../reports/index.js';

/** Requests per scenario counted at their scheduled (intended) start, recorded by the embedded engine's sink. */
export const REQUESTS_BY_INTENDED_START = 'http_reqs_by_intended_start';

/** The duration and failure metrics a query reads: HTTP requests (k6) or HL7 messages of `mllp` steps. */
function metricsOf(f: { events?: 'http' | 'hl7'; latencyFrom?: 'start' | 'intended' }): { duration: string; failed: string } {
  if (f.events === 'hl7') return { duration: 'hl7_msg_duration', failed: 'hl7_msg_failed' };
  return { duration: f.latencyFrom === 'intended' ? 'http_req_duration_corrected' : 'http_req_duration', failed: 'http_req_failed' };
}

/** Adapts the store; queries are answered from histograms, never from a list of samples. */
export function loadQueryOf(store: MetricStore): LoadQuery {
  const tagsOf = (f: { scenario?: string; name?: string; status?: number; expectedResponse?: boolean }): Tags => ({
    ...(f.scenario === undefined ? {} : { scenario: f.scenario }),
    ...(f.name === undefined ? {} : { name: f.name }),
    ...(f.status === undefined ? {} : { status: String(f.status) }),
    ...(f.expectedResponse === undefined ? {} : { expected_response: String(f.expectedResponse) }),
  });
  return {
    endpoints() {
      const seen = new Map<string, { scenario: string; name: string }>();
      for (const s of store.list()) {
        if (s.metric !== 'http_reqs') continue;
        const scenario = s.tags.scenario ?? '';
        const name = s.tags.name ?? '';
        seen.set(`${scenario}\u0000${name}`, { scenario, name });
      }
      return [...seen.values()].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name));
    },
    window(f: LoadFilter): WindowStats {
      const range = { tags: tagsOf(f), fromMs: f.fromMs, toMs: f.toMs };
      const m = metricsOf(f);
      const duration = store.query({ metric: m.duration, ...range });
      const failed = store.query({ metric: m.failed, ...range });
      return {
        count: duration.samples,
        failed: failed.passes,
        latency: { p: (q) => duration.percentile(q), countAtOrBelow: (ms) => duration.countAtOrBelow(ms), avg: duration.avg, min: duration.min, max: duration.max },
      };
    },
    authWindow(metric, fromMs, toMs): WindowStats {
      const a = store.query({ metric, fromMs, toMs });
      return { count: a.samples, failed: a.passes, latency: { p: (q) => a.percentile(q), countAtOrBelow: (ms) => a.countAtOrBelow(ms), avg: a.avg, min: a.min, max: a.max } };
    },
    exemplars: (f) => store.exemplars.query(f),
    metric: (metric, fromMs, toMs, tags) => store.query({ metric, fromMs, toMs, ...(Object.keys(tags).length > 0 ? { tags } : {}) }),
    perSecond(f: SecondFilter): readonly SecondRow[] {
      const tags = tagsOf(f);
      const rows = new Map<number, { startMs: number; count: number; failed: number; p50Ms: number; p95Ms: number; p99Ms: number; atOrBelow?: number; vus?: number; droppedIterations?: number; byIntendedStart?: number }>();
      const row = (second: number) => {
        let r = rows.get(second);
        if (!r) rows.set(second, (r = { startMs: second * 1000, count: 0, failed: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0 }));
        return r;
      };
      const m = metricsOf(f);
      for (const { second, aggregate: a } of store.timeline({ metric: m.duration, tags })) {
        const r = row(second);
        r.count = a.samples;
        r.p50Ms = a.percentile(50);
        r.p95Ms = a.percentile(95);
        r.p99Ms = a.percentile(99);
        if (f.atOrBelowMs !== undefined) r.atOrBelow = a.countAtOrBelow(f.atOrBelowMs);
      }
      for (const { second, aggregate: a } of store.timeline({ metric: m.failed, tags })) row(second).failed = a.passes;
      if (f.events === 'hl7') return [...rows.values()].sort((a, b) => a.startMs - b.startMs);
      // VUs are recorded per run (not per scenario or request); show them on the overall rows only.
      if (f.scenario === undefined && f.name === undefined) {
        for (const { second, aggregate: a } of store.timeline({ metric: 'vus' })) row(second).vus = a.value;
      }
      if (f.name === undefined && store.typeOf(REQUESTS_BY_INTENDED_START) !== undefined) {
        for (const { second, aggregate: a } of store.timeline({ metric: REQUESTS_BY_INTENDED_START, tags: f.scenario === undefined ? {} : { scenario: f.scenario } })) row(second).byIntendedStart = a.count;
      }
      if (f.name === undefined) {
        for (const { second, aggregate: a } of store.timeline({ metric: 'dropped_iterations', tags: f.scenario === undefined ? {} : { scenario: f.scenario } })) row(second).droppedIterations = a.count;
      }
      return [...rows.values()].sort((a, b) => a.startMs - b.startMs);
    },
  };
}
