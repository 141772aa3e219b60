/** @module reports/evaluate: per-scope endpoint tables (scenario × request name). */
import type { EndpointRow, PhaseTable } from '../results/types.js';
import type { LoadFilter, LoadQuery } from './input.js';
import type { Scope } from './scopes.js';
import { round2 } from './timeline.js';

function row(load: LoadQuery, filter: LoadFilter, scenario: string, request: string): EndpointRow {
  const w = load.window(filter);
  const has = w.count > 0;
  const base = {
    scenario, request, count: w.count, failures: w.failed, errorRate: has ? w.failed / w.count : 0,
    p50Ms: has ? round2(w.latency.p(50)) : null, p95Ms: has ? round2(w.latency.p(95)) : null,
    p99Ms: has ? round2(w.latency.p(99)) : null, maxMs: has ? round2(w.latency.max) : null,
  };
  // HL7 messages have no intended start (the ACK time is all there is).
  if (filter.events === 'hl7') return base;
  const c = load.window({ ...filter, latencyFrom: 'intended' });
  const hasCorrected = has && c.count > 0;
  return { ...base, p95CorrectedMs: hasCorrected ? round2(c.latency.p(95)) : null, p99CorrectedMs: hasCorrected ? round2(c.latency.p(99)) : null };
}

/**
 * One table per scope; endpoints without requests in a scope are left out of its rows. `events: 'hl7'`: the HL7
 * messages of `mllp` steps instead (rows per scenario × step, total "all messages").
 */
export function buildPhaseTables(load: LoadQuery, scopes: readonly Scope[], events: 'http' | 'hl7' = 'http'): PhaseTable[] {
  const hl7 = events === 'hl7';
  const listed = hl7 ? (load.hl7Endpoints?.() ?? []) : load.endpoints();
  const endpoints = [...listed].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.name.localeCompare(b.name));
  return scopes.map((s) => {
    const range = { fromMs: s.startMs, toMs: s.endMs, ...(hl7 ? { events } : {}) };
    const rows = endpoints
      .map((e) => row(load, { ...range, scenario: e.scenario, name: e.name }, e.scenario, e.name))
      .filter((r) => r.count > 0);
    return { ...s, rows, total: row(load, range, '*', hl7 ? 'all messages' : 'all requests') };
  });
}
