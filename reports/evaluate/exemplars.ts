/**
 * @module reports/evaluate: exemplars per window — the slowest requests of each scope and endpoint, and the kept
 * request nearest each percentile, with the trace ids that link them to the server's traces.
 */
import { nearestExemplar, type Exemplar } from '../../core/metrics/index.js';
import type { EndpointExemplars, ExemplarResult, WindowExemplars } from '../results/types.js';
import type { LoadQuery } from './input.js';
import type { Scope } from './scopes.js';
import { round2 } from './timeline.js';

/** Slowest requests kept per window and per endpoint in results.json. */
const SLOWEST_PER_WINDOW = 5;

const toResult = (e: Exemplar): ExemplarResult => ({
  traceId: e.traceId, scenario: e.scenario, request: e.name, intendedStartMs: round2(e.intendedStartMs), startMs: round2(e.startMs),
  durationMs: round2(e.durationMs), correctedDurationMs: round2(e.correctedDurationMs), status: e.status, failed: e.failed,
});

/** `results.exemplars`, or undefined when the load source keeps no exemplars. */
export function buildExemplars(load: LoadQuery, scopes: readonly Scope[]): Record<string, WindowExemplars> | undefined {
  const query = load.exemplars?.bind(load);
  // No trace ids kept at all (real k6's output has none): leave the key out rather than list empty windows.
  if (query === undefined || query({ fromMs: 0, toMs: Infinity, slowest: 1 }).candidates.length === 0) return undefined;
  const endpoints = [...load.endpoints()].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name));
  const out: Record<string, WindowExemplars> = {};
  for (const s of scopes) {
    const range = { fromMs: s.startMs, toMs: s.endMs };
    const rows: EndpointExemplars[] = [];
    for (const e of endpoints) {
      const found = query({ ...range, scenario: e.scenario, name: e.name, slowest: SLOWEST_PER_WINDOW });
      if (found.candidates.length === 0) continue;
      const w = load.window({ ...range, scenario: e.scenario, name: e.name });
      const near = (q: number): ExemplarResult | null => {
        const hit = w.count > 0 ? nearestExemplar(found.candidates, w.latency.p(q)) : undefined;
        return hit ? toResult(hit) : null;
      };
      rows.push({ scenario: e.scenario, request: e.name, slowest: found.slowest.map(toResult), near: { p50: near(50), p95: near(95), p99: near(99) } });
    }
    const slowest = query({ ...range, slowest: SLOWEST_PER_WINDOW }).slowest.map(toResult);
    out[s.scope] = { startMs: s.startMs, endMs: s.endMs, label: s.label, slowest, endpoints: rows };
  }
  return out;
}
