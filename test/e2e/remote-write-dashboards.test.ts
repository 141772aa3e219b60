/**
 * @module test/e2e: a real, short codeblue run pushes over Prometheus remote write into two real Prometheus 2.42
 * servers (remote-write receiver and native histograms on) — one with trend stats as gauges, one with native
 * histograms — and every PromQL expression of the two stock k6 dashboards, 19665 "k6 Prometheus" and 18030
 * "k6 Prometheus (Native Histograms)" (test/data/k6-dashboards, see SOURCE.md), returns data for the run's testid.
 * A receiver that refuses the pushes is a journaled incident, not a failed run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../plan/index.js';
import { executeGameDay, type RunEvent } from '../../run/index.js';
import { startPrometheus, type PrometheusProcess } from '../support/prometheus.js';

const DATA = new URL('../data/k6-dashboards/', import.meta.url);
const TREND_STATS = ['p(99)', 'p(95)', 'p(90)', 'avg', 'med', 'min', 'max'];
const STAT_SUFFIXES = ['p99', 'p95', 'p90', 'avg', 'med', 'min', 'max'];

/**
 * Series k6 itself emits but codeblue's embedded engine cannot measure per request (undici gives no split of
 * connect/TLS/write time), so it records no value rather than a made-up 0: both dashboards' "HTTP Latency
 * Timings" lines for TLS handshaking and sending stay empty. Asserted empty, so this list cannot go stale.
 */
const NOT_MEASURED: Readonly<Record<string, string>> = {
  k6_http_req_tls_handshaking_: 'the embedded engine does not measure TLS handshaking per request',
  k6_http_req_sending_: 'the embedded engine does not measure request write time per request',
};

let dir: string;
let target: Server;
let stats: PrometheusProcess | undefined;
let native: PrometheusProcess | undefined;
let runId = '';
let recorded = { requests: 0, failed: 0, dropped: 0 };
const events: RunEvent[] = [];

/** Every `expr` of a dashboard's panels (rows nested too), with the panel title. */
function expressions(file: string): { title: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(new URL(file, DATA), 'utf8')) as { panels: Panel[] };
  interface Panel { title?: string; panels?: Panel[]; targets?: { expr?: string }[] }
  const out: { title: string; expr: string }[] = [];
  const walk = (panels: readonly Panel[]): void => {
    for (const p of panels) {
      if (p.panels) walk(p.panels);
      for (const t of p.targets ?? []) if (t.expr) out.push({ title: p.title ?? '', expr: t.expr });
    }
  };
  walk(dashboard.panels);
  return out;
}

/** Grafana's variables as the dashboard would set them for this run (one query per choice of a multi-choice variable). */
function substitute(expr: string, vars: { quantileStat?: string; quantile?: string }): string {
  return expr
    .replaceAll('$testid', runId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .replaceAll('$quantile_stat', vars.quantileStat ?? 'p99')
    .replaceAll('$quantile', vars.quantile ?? '0.99')
    .replaceAll('$__rate_interval', '1m');
}

async function query(prom: PrometheusProcess | undefined, expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prom?.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? body.status}`);
  return body.data.result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-rw-dash-'));
  let n = 0;
  // 60 ms per request keeps one VU below the arrival rate (dropped iterations); every third /flaky answer is a 500.
  target = createServer((req, res) => {
    setTimeout(() => {
      if (req.url?.startsWith('/flaky') && ++n % 3 === 0) res.writeHead(500).end('{"error":"boom"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }, 60);
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const flags = ['--web.enable-remote-write-receiver', '--enable-feature=native-histograms'];
  [stats, native] = await Promise.all([startPrometheus('global: { scrape_interval: 1m }\n', { flags }), startPrometheus('global: { scrape_interval: 1m }\n', { flags })]);
  const file = join(dir, 'codeblue.yaml');
  writeFileSync(file, JSON.stringify({
    name: 'rw-dashboards',
    target: { baseUrl: `http://127.0.0.1:${(target.address() as AddressInfo).port}` },
    chaos: { server: 'embedded', listen: '127.0.0.1:0' },
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
    scenarios: {
      browse: {
        executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '6s', preAllocatedVUs: 1, maxVUs: 1,
        steps: [{ name: 'home', request: { method: 'GET', path: '/home' }, check: { status: 200 } }],
      },
      api: {
        executor: 'constant-vus', vus: 2, duration: '6s',
        steps: [{ name: 'flaky', request: { method: 'POST', path: '/flaky', json: '{"a":1}' }, check: { status: 200 } }],
      },
    },
    outputs: [
      'json',
      { type: 'prometheus-rw', url: `${stats.url}/api/v1/write`, pushInterval: '1s', trendStats: TREND_STATS },
      { type: 'prometheus-rw', url: `${native.url}/api/v1/write`, pushInterval: '1s', trendAsNativeHistogram: true },
    ],
  }));
  const outcome = await executeGameDay(await loadPlan(file), { outRoot: join(dir, 'runs'), onEvent: (e) => events.push(e) });
  runId = outcome.record.runId;
  const q = (metric: string, tags?: Record<string, string>) => outcome.record.store.query({ metric, ...(tags ? { tags } : {}) }).count;
  recorded = { requests: q('http_reqs'), failed: q('http_reqs', { expected_response: 'false' }), dropped: q('dropped_iterations') };
}, 120_000);

afterAll(async () => {
  await Promise.all([stats?.stop(), native?.stop()]);
  await new Promise((r) => target?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('the stock k6 dashboards on a codeblue run pushed over remote write', { timeout: 60_000 }, () => {
  it('ran without incidents and said where it pushed', () => {
    expect(events.filter((e) => e.type === 'incident')).toEqual([]);
    const steps = events.flatMap((e) => (e.type === 'step' ? [e.message] : []));
    expect(steps).toContainEqual(expect.stringMatching(new RegExp(`^pushing k6 metrics to ${stats?.url}/api/v1/write every 1s`)));
    expect(steps).toContainEqual(expect.stringMatching(/^remote write to .*: \d+ pushes, \d+ series$/));
  });

  const cases = [
    { dashboard: '19665', expressions: 31, file: 'k6-prometheus-19665.json', prom: () => stats, choices: STAT_SUFFIXES.map((s) => ({ quantileStat: s })) },
    { dashboard: '18030', expressions: 32, file: 'k6-prometheus-native-histogram-18030.json', prom: () => native, choices: [{ quantile: '0.99' }, { quantile: '0.5' }] },
  ];
  for (const c of cases) {
    it(`dashboard ${c.dashboard}: every query returns data (except the timings the engine cannot measure, which stay empty)`, async () => {
      const all = expressions(c.file);
      expect(all).toHaveLength(c.expressions);
      const empty: string[] = [];
      const unexplainedEmpty: string[] = [];
      for (const { title, expr } of all) {
        const choices = expr.includes('$quantile') ? c.choices : [{}];
        for (const vars of choices) {
          const promql = substitute(expr, vars);
          const result = await query(c.prom(), promql);
          const known = Object.keys(NOT_MEASURED).some((m) => promql.includes(m));
          if (known) {
            if (result.length > 0) unexplainedEmpty.push(`now has data, drop it from NOT_MEASURED: ${promql}`);
            empty.push(promql);
          } else if (result.length === 0 || result.some((r) => !Number.isFinite(Number(r.value[1])))) unexplainedEmpty.push(`${title}: ${promql} → ${JSON.stringify(result)}`);
        }
      }
      expect(unexplainedEmpty).toEqual([]);
      // The two "HTTP Latency Timings" lines (TLS handshaking, sending), for every variable choice.
      expect(new Set(empty.map((e) => Object.keys(NOT_MEASURED).find((m) => e.includes(m))))).toEqual(new Set(Object.keys(NOT_MEASURED)));
    });
  }

  it('holds, after the last push, exactly the totals the run recorded (the final flush precedes the verdict)', async () => {
    expect(recorded.requests).toBeGreaterThan(0);
    expect(recorded.failed).toBeGreaterThan(0);
    expect(recorded.dropped).toBeGreaterThan(0);
    for (const prom of [stats, native]) {
      const total = async (expr: string): Promise<number> => Number((await query(prom, expr))[0]?.value[1]);
      expect(await total(`sum(k6_http_reqs_total{testid="${runId}"})`)).toBe(recorded.requests);
      expect(await total(`sum(k6_http_reqs_total{testid="${runId}", expected_response="false"})`)).toBe(recorded.failed);
      expect(await total(`sum(k6_dropped_iterations_total{testid="${runId}"})`)).toBe(recorded.dropped);
    }
    expect(Number((await query(native, `sum(histogram_count(k6_http_req_duration_seconds{testid="${runId}"}))`))[0]?.value[1])).toBe(recorded.requests);
  });
});

describe('a receiver that refuses every push', { timeout: 90_000 }, () => {
  it("is a journaled incident in the receiver's own words; the run still ends with its own verdict", async () => {
    // A real Prometheus without --web.enable-remote-write-receiver answers every push with 404 and its reason.
    const bare = await startPrometheus('global: { scrape_interval: 1m }\n');
    const seen: RunEvent[] = [];
    try {
      const file = join(dir, 'refused.yaml');
      writeFileSync(file, JSON.stringify({
        name: 'rw-refused',
        target: { baseUrl: `http://127.0.0.1:${(target.address() as AddressInfo).port}` },
        chaos: { server: 'embedded', listen: '127.0.0.1:0' },
        collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
        scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '2s', steps: [{ name: 'home', request: { path: '/home' } }] } },
        outputs: ['json', { type: 'prometheus-rw', url: `${bare.url}/api/v1/write`, pushInterval: '500ms' }],
      }));
      const outcome = await executeGameDay(await loadPlan(file), { outRoot: join(dir, 'runs-refused'), onEvent: (e) => seen.push(e) });
      expect(outcome.exitCode).toBe(0);
      const reason = new RegExp(`^Prometheus remote write to ${bare.url}/api/v1/write failed: HTTP 404: .*remote write receiver needs to be enabled`);
      // Once per distinct reason, however many pushes failed.
      expect(seen.filter((e) => e.type === 'incident').map((e) => (e as { message: string }).message)).toEqual([expect.stringMatching(reason)]);
      const journal = readFileSync(join(outcome.runDir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; outcome: string; reason?: string });
      expect(journal.filter((j) => j.action === 'incident')).toEqual([expect.objectContaining({ outcome: 'error', reason: expect.stringMatching(reason) })]);
      expect(seen).toContainEqual({ type: 'step', message: expect.stringMatching(/^remote write to .*: \d+ pushes, \d+ series, \d+ failed$/) });
    } finally {
      await bare.stop();
    }
  });
});

