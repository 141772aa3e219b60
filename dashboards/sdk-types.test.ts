/**
 * @module dashboards: the generated JSON conforms to Grafana's own schema types (@grafana/grafana-foundation-sdk),
 * compiled with the TypeScript compiler API (see fixtures/sdk-typecheck.ts for how drift is caught). The SDK's
 * types describe the newest model, so these build for `latest`; grafana-release.test.ts checks each older release.
 */
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../plan/index.js';
import { drillPlan } from './fixtures/drill-plan.js';
import { sdkTypeDiagnostics } from './fixtures/sdk-typecheck.js';
import { buildDashboard, buildRunDashboard } from './index.js';

const START = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('dashboards against the foundation-sdk Dashboard types', () => {
  it('the plan dashboard type-checks as dashboard.Dashboard with typed panels, options and Prometheus targets', () => {
    expect(sdkTypeDiagnostics(buildDashboard(drillPlan(), { datasource: 'Prometheus', runId: 'r1', grafanaVersion: 'latest' }))).toEqual([]);
  }, 30_000);

  it('the run dashboard (fixed range, journal annotations) type-checks too', () => {
    const journal = [
      { time: new Date(START).toISOString(), offsetMs: 0, action: 'phase-start', outcome: 'ok', phase: 'baseline' },
      { time: new Date(START + 2000).toISOString(), offsetMs: 2000, action: 'fault-on', outcome: 'ok', proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' },
    ] as const;
    const d = buildRunDashboard(drillPlan(), journal, { runId: 'r1', startEpochMs: START, endEpochMs: START + 6000, grafanaVersion: 'latest' });
    expect(sdkTypeDiagnostics(d)).toEqual([]);
  }, 30_000);

  it('a plain load test (no phases, faults or SLOs) type-checks', () => {
    const plan = parsePlan('name: plain\ntarget: { baseUrl: http://127.0.0.1:8080 }\nscenarios:\n  s: { executor: constant-vus, vus: 1, duration: 1s, steps: [{ name: a, request: { method: GET, path: / } }] }\n');
    expect(sdkTypeDiagnostics(buildDashboard(plan, { grafanaVersion: 'latest' }))).toEqual([]);
  }, 30_000);

  it('catches drift: a legacy key, a legacy panel type, a missing gridPos field and an unknown option value are diagnostics', () => {
    const d = buildDashboard(drillPlan(), { grafanaVersion: 'latest' }) as Record<string, unknown> & { panels: Record<string, unknown>[] };
    d.rows = [];
    const stat = d.panels.find((p) => p.type === 'stat') as Record<string, unknown>;
    (d.panels.find((p) => p.type === 'table') as Record<string, unknown>).span = 6;
    (stat.options as Record<string, unknown>).colorMode = 'rainbow';
    const ts = d.panels.find((p) => p.type === 'timeseries') as Record<string, unknown>;
    (ts.gridPos as Record<string, unknown>).h = undefined;
    d.panels.push({ type: 'graph', title: 'legacy', renderer: 'flot' });
    const diagnostics = sdkTypeDiagnostics(d).join('\n');
    expect(diagnostics).toMatch(/'"rows"' does not exist/);
    expect(diagnostics).toMatch(/'"span"' does not exist/);
    expect(diagnostics).toMatch(/"rainbow"/);
    expect(diagnostics).toMatch(/Property 'h' is missing/);
    expect(diagnostics).toMatch(/not assignable to type 'never'/);
  }, 30_000);
});
