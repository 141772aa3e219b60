/** @module dashboards: the plan dashboard — current Grafana model, layout, variables, and a golden of its structure. */
import { describe, expect, it } from 'vitest';
import { durationBucketsSeconds } from '../core/index.js';
import { parsePlan } from '../plan/index.js';
import { drillPlan } from './fixtures/drill-plan.js';
import { burnFactor, BURN_WINDOWS, buildDashboard, dashboardQueries, SCHEMA_VERSION } from './index.js';
import { goodBucket, metric } from './promql.js';

type Panel = Record<string, unknown> & { type: string; title: string; gridPos: { x: number; y: number; w: number; h: number } };
const panelsOf = (d: Record<string, unknown>): Panel[] => d.panels as Panel[];

/** What changes deliberately: rows, panel titles/types/sizes, every query and legend, annotations, variables. */
function structure(d: Record<string, unknown>): unknown {
  return {
    uid: d.uid,
    schemaVersion: d.schemaVersion,
    variables: (d.templating as { list: Record<string, unknown>[] }).list.map((v) => ({ name: v.name, type: v.type, query: v.query })),
    annotations: (d.annotations as { list: Record<string, unknown>[] }).list.map((a) => ({ name: a.name, expr: a.expr })),
    panels: panelsOf(d).map((p) => ({
      type: p.type,
      title: p.title,
      gridPos: `${p.gridPos.x},${p.gridPos.y} ${p.gridPos.w}x${p.gridPos.h}`,
      ...(p.type === 'row' ? {} : { queries: (p.targets as Record<string, unknown>[]).map((t) => `${String(t.refId)}${t.instant ? ' (instant)' : ''} ${String(t.expr)}${t.legendFormat ? `  ⟨${String(t.legendFormat)}⟩` : ''}`) }),
    })),
  };
}

describe('buildDashboard', () => {
  it('matches the golden structure (update deliberately with `npx vitest run dashboards/build.test.ts -u`)', async () => {
    await expect(`${JSON.stringify(structure(buildDashboard(drillPlan())), null, 2)}\n`).toMatchFileSnapshot('./__golden__/drill-dashboard.structure.json');
  });

  it('writes the current model: panels with gridPos, row panels, schemaVersion 42 for the newest Grafana, no legacy keys', () => {
    const d = buildDashboard(drillPlan(), { grafanaVersion: 'latest' });
    expect(d.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(42);
    for (const legacy of ['rows', 'style', 'originalTitle', 'sharedCrosshair', 'hideControls', 'hideAllLegends']) expect(d).not.toHaveProperty(legacy);
    expect(panelsOf(d).filter((p) => p.type === 'row').map((p) => p.title)).toEqual(['Load', 'Faults', 'Services', 'SLOs']);
    expect(new Set(panelsOf(d).map((p) => p.type))).toEqual(new Set(['row', 'stat', 'timeseries', 'table', 'state-timeline']));
    expect(panelsOf(d).map((p) => p.id)).toEqual(panelsOf(d).map((_, i) => i + 1));
  });

  it('lays panels on the 24-column grid without overlaps', () => {
    const panels = panelsOf(buildDashboard(drillPlan()));
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    for (const [i, a] of panels.entries()) {
      for (const b of panels.slice(i + 1)) {
        const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w
          && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });

  it('references the datasource by uid through a datasource variable, and scopes every query to $run', () => {
    const d = buildDashboard(drillPlan(), { datasource: 'Prom EU', runId: 'run-7' });
    const [ds, run] = (d.templating as { list: Record<string, unknown>[] }).list;
    expect(ds).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus', current: { text: 'Prom EU', value: 'Prom EU' } });
    expect(run).toMatchObject({ type: 'query', name: 'run', query: 'label_values(k6_http_reqs_total, run)', datasource: { type: 'prometheus', uid: '${datasource}' }, current: { value: 'run-7' } });
    for (const p of panelsOf(d).filter((x) => x.type !== 'row')) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const t of p.targets as Record<string, unknown>[]) expect(t.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
    for (const q of dashboardQueries(d).filter((x) => x.kind !== 'variable')) expect(q.expr, q.where).toContain('run="$run"');
  });

  it('has one burn-rate, budget and SLI panel per SLO, with alert factors scaled to the SLO window', () => {
    const titles = panelsOf(buildDashboard(drillPlan())).map((p) => p.title);
    for (const slo of ['availability', 'fast reads', 'ehr adapter ok']) {
      expect(titles).toEqual(expect.arrayContaining([`SLO ${slo}: burn rate`, `SLO ${slo}: budget left`, `SLO ${slo}: SLI`]));
    }
    expect(BURN_WINDOWS.map((w) => burnFactor(w, 30 * 86_400_000))).toEqual([14.4, 6, 3, 1]);
    expect(BURN_WINDOWS.map((w) => burnFactor(w, 28 * 86_400_000))).toEqual([13.44, 5.6, 2.8, 0.93]);
  });

  it('omits the SLO row for a plan without SLOs, and keeps a fixed time range and uid when asked', () => {
    const plan = parsePlan('name: plain\ntarget: { baseUrl: http://127.0.0.1:8080 }\nscenarios:\n  s: { executor: constant-vus, vus: 1, duration: 1s, steps: [{ name: a, request: { method: GET, path: / } }] }\n');
    const d = buildDashboard(plan, { timeRange: { from: 'now-1h', to: 'now' }, uid: 'x'.repeat(50) });
    expect(panelsOf(d).filter((p) => p.type === 'row').map((p) => p.title)).toEqual(['Load', 'Faults', 'Services']);
    expect(d.time).toEqual({ from: 'now-1h', to: 'now' });
    expect(String(d.uid)).toHaveLength(40);
  });

  it('counts latency SLO "good" events at the largest bucket bound not above the threshold', () => {
    expect(goodBucket(300)).toEqual({ le: '0.25', boundMs: 250 });
    expect(goodBucket(250)).toEqual({ le: '0.25', boundMs: 250 });
    expect(goodBucket(1500)).toEqual({ le: '1|1.0', boundMs: 1000 });
    expect(goodBucket(1)).toEqual({ le: '0.005', boundMs: 5 });
    // With the run's buckets (a bucket at each SLO threshold of its plan) the match is exact.
    expect(goodBucket(300, durationBucketsSeconds([300]))).toEqual({ le: '0.3', boundMs: 300 });
    expect(goodBucket(2000, durationBucketsSeconds([2000]))).toEqual({ le: '2|2.0', boundMs: 2000 });
  });

  it('refuses a metric name the collectors do not expose', () => {
    expect(() => metric('k6_http_reqs' as never)).toThrow(/not in the collectors' METRIC_CATALOGUE/);
  });
});
