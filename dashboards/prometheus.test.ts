/**
 * @module dashboards: every PromQL expression of the generated dashboards, sent to a real Prometheus that
 * scraped a real codeblue /metrics server during a short synthetic game day, must parse and return data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, startMetricsServer, type MetricsServer } from '../collectors/index.js';
import { planLatencyBoundsMs } from '../plan/index.js';
import { drillPlan } from './fixtures/drill-plan.js';
import { startPrometheus, type PrometheusProcess } from '../test/support/prometheus.js';
import { feedSyntheticRun, type SyntheticRun } from './fixtures/synthetic-run.js';
import { buildDashboard, buildRunDashboard, dashboardQueries, prometheusScrapeConfig, type DashboardQuery } from './index.js';

const RUN_ID = '20261125T1000-drill';
let prom: PrometheusProcess | undefined;
let server: MetricsServer | undefined;
let run: SyntheticRun;

interface Series { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }
interface ApiAnswer { status: string; error?: string; data?: { resultType: string; result: Series[] } | string[] }

async function api(path: string, params: Record<string, string>): Promise<ApiAnswer> {
  const res = await fetch(`${(prom as PrometheusProcess).url}${path}?${new URLSearchParams(params)}`);
  return (await res.json()) as ApiAnswer;
}

/** Grafana's template variables as Grafana would expand them for this run. */
function expand(expr: string): string {
  const rangeS = Math.ceil((run.endEpochMs - run.startEpochMs) / 1000) + 2;
  return expr.replaceAll('$__rate_interval', '5s').replaceAll('$__range', `${rangeS}s`).replaceAll('$run', RUN_ID);
}

/** Numbers (not NaN) in a query answer. */
function numbers(answer: ApiAnswer): number[] {
  const result = (answer.data as { result?: Series[] } | undefined)?.result ?? [];
  return result.flatMap((s) => (s.values ?? (s.value ? [s.value] : [])).map(([, v]) => Number(v))).filter((v) => !Number.isNaN(v));
}

async function check(q: DashboardQuery): Promise<string | undefined> {
  const endS = String(Math.ceil(run.endEpochMs / 1000) + 1);
  if (q.kind === 'variable') {
    const m = /^label_values\((\w+), (\w+)\)$/.exec(q.expr);
    if (m === null) return `${q.where}: unexpected variable query ${q.expr}`;
    const answer = await api(`/api/v1/label/${m[2]}/values`, { 'match[]': m[1] as string });
    return (answer.data as string[]).includes(RUN_ID) ? undefined : `${q.where}: ${q.expr} does not list ${RUN_ID}`;
  }
  const expr = expand(q.expr);
  const answer = q.instant
    ? await api('/api/v1/query', { query: expr, time: endS })
    : await api('/api/v1/query_range', { query: expr, start: String(Math.floor(run.startEpochMs / 1000) - 1), end: endS, step: '1' });
  if (answer.status !== 'success') return `${q.where}: ${expr} → ${answer.error}`;
  return numbers(answer).length > 0 ? undefined : `${q.where}: ${expr} returned no data`;
}

beforeAll(async () => {
  // As a game day builds it: a histogram bucket at each SLO latency of the plan (the SLO queries count at it).
  const registry = createMetricsRegistry({ runId: RUN_ID, latencyBoundsMs: planLatencyBoundsMs(drillPlan()) });
  server = await startMetricsServer({ port: 0, registry });
  const scrape = prometheusScrapeConfig({ target: `127.0.0.1:${server.port}`, runId: RUN_ID, interval: '1s' });
  prom = await startPrometheus(`global: { scrape_interval: 1s, evaluation_interval: 1s }\n${scrape}`);
  // The first scrape comes a while after startup: start the run only once the target is being scraped.
  for (let i = 0; i < 60 && numbers(await api('/api/v1/query', { query: 'up == 1' })).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
  }
  run = await feedSyntheticRun(registry, 2500);
  // Until Prometheus holds a sample taken after the run ended (the last scrape sees the final counters).
  for (let i = 0; i < 40; i++) {
    const answer = await api('/api/v1/query', { query: `timestamp(k6_http_reqs_total{run="${RUN_ID}"})` });
    const latest = Math.max(0, ...numbers(answer));
    if (latest * 1000 > run.endEpochMs + 500) break;
    await new Promise((r) => setTimeout(r, 250));
  }
}, 45_000);

afterAll(async () => {
  await prom?.stop();
  await server?.close();
}, 15_000);

describe('dashboard queries against a real Prometheus', () => {
  it('every query of the plan dashboard parses and returns data for the run', async () => {
    const queries = dashboardQueries(buildDashboard(drillPlan(), { runId: RUN_ID }));
    expect(queries.length).toBeGreaterThan(40);
    const failures = (await Promise.all(queries.map(check))).filter((f) => f !== undefined);
    expect(failures, prom?.log().slice(-1000)).toEqual([]);
  }, 30_000);

  it('every query of the run dashboard, including one annotation per fault window and phase, returns data', async () => {
    const dashboard = buildRunDashboard(drillPlan(), run.journal, { runId: RUN_ID, startEpochMs: run.startEpochMs, endEpochMs: run.endEpochMs });
    const queries = dashboardQueries(dashboard);
    expect(queries.filter((q) => q.kind === 'annotation').map((q) => q.where.split(' ').slice(0, 2).join(' ')))
      .toEqual(['fault ehr', 'phase baseline', 'phase fault', 'phase recovery']);
    const failures = (await Promise.all(queries.map(check))).filter((f) => f !== undefined);
    expect(failures).toEqual([]);
  }, 30_000);

  it('the fault annotation marks the fault window only (no data before the fault)', async () => {
    const on = run.journal.find((e) => e.action === 'fault-on');
    const answer = await api('/api/v1/query_range', {
      query: expand('codeblue_fault_active{run="$run",proxy="ehr",toxic="ehr-latency"} == 1'),
      start: String(Math.floor(run.startEpochMs / 1000)), end: String(Math.floor((run.startEpochMs + (on?.offsetMs ?? 0)) / 1000) - 1), step: '1',
    });
    expect(answer.status).toBe('success');
    expect(numbers(answer)).toEqual([]);
  }, 10_000);

  it('a typo in a query would be caught: Prometheus rejects a bad expression', async () => {
    const bad = await check({ kind: 'panel', where: 'typo', expr: 'sum(rate(k6_http_reqs_total{run="$run"}[$__rate_interval])', instant: false });
    expect(bad).toMatch(/typo: .* → .*parse error/);
    const empty = await check({ kind: 'panel', where: 'absent', expr: 'k6_no_such_metric{run="$run"}', instant: false });
    expect(empty).toMatch(/returned no data/);
  }, 10_000);
});
