/**
 * @module reports/compare: a run's latency histograms (samples/metrics.ndjson, the per-second HDR store) as the
 * counts the release gate tests: how many requests of an endpoint in a window were slower than a given time.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readMetrics, type MetricStore } from '../../core/index.js';

/** An endpoint in a window; `scenario` '*' = every request (the phase tables' total row). */
export interface EndpointWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly scenario: string;
  readonly request: string;
}

/** Requests of `w`, and how many took longer than `ms`. */
export interface LatencyCounts {
  slowerThan(w: EndpointWindow, ms: number): { readonly total: number; readonly above: number };
}

/** Counts from a MetricStore (k6 `http_req_duration`, tags `scenario` and `name`). */
export function latencyCountsOf(store: MetricStore): LatencyCounts {
  return {
    slowerThan(w, ms) {
      const tags: Record<string, string> = w.scenario === '*' ? {} : { scenario: w.scenario, name: w.request };
      const a = store.query({ metric: 'http_req_duration', tags, fromMs: w.fromMs, toMs: w.toMs });
      return { total: a.samples, above: a.samples - Math.min(a.samples, a.countAtOrBelow(ms)) };
    },
  };
}

/** The histograms of a run folder, or null when it has none (only results.json: the gate then estimates). */
export async function loadLatencyCounts(runDir: string): Promise<LatencyCounts | null> {
  const dir = existsSync(runDir) && statSync(runDir).isDirectory() ? runDir : join(runDir, '..');
  const file = join(dir, 'samples', 'metrics.ndjson');
  if (!existsSync(file)) return null;
  return latencyCountsOf((await readMetrics(file)).store);
}
