/**
 * @module test/e2e: a real game day's /metrics — scraped over HTTP mid-run and after the load (while the run
 * still holds it, during the after-recovery steady-state probe) — against the run folder's own counts, and a real
 * Prometheus scraping the same run for the dashboards' SLO query at the SLO's exact bucket.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../../core/index.js';
import { sloErrorRatio } from '../../dashboards/index.js';
import { loadPlan, type Plan } from '../../plan/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay, type GameDayOutcome, type RunEvent } from '../../run/index.js';
import { waitUntil } from '../support/poll.js';
import { pickPort } from '../support/ports.js';
import { REPO_ROOT } from './game-day-fixture.js';
import { startPrometheus, type PrometheusProcess } from '../support/prometheus.js';

interface Sample { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly value: number }

/** Prometheus text format 0.0.4 → samples (label values here carry no escaped quotes). */
function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}
const total = (s: readonly Sample[], name: string, labels: Record<string, string> = {}): number =>
  s.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((n, x) => n + x.value, 0);
const has = (s: readonly Sample[], name: string): boolean => s.some((x) => x.name === name);

let dir: string;
let target: Server;
let prometheus: PrometheusProcess;
let plan: Plan;
let outcome: GameDayOutcome;
let results: RunResults;
let metricsPort: number;
const probeScrapes: Sample[][] = [];
let midRun: Sample[] | undefined;

const scrape = async (): Promise<Sample[]> => parseExposition(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-metrics-live-'));
  target = createHttpServer((req, res) => {
    if (req.url === '/probe') {
      // The steady-state probe runs before the load and after it: each call scrapes /metrics first.
      void scrape().then((s) => probeScrapes.push(s), () => undefined).finally(() => res.writeHead(200).end('ok'));
      return;
    }
    // /slow holds the arrival scenario's only VU (so arrivals are dropped); /sluggish is between 1 s and the 2 s SLO.
    const delayMs = req.url === '/slow' ? 100 : req.url === '/sluggish' ? 1300 : 0;
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), delayMs);
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  // Prometheus must know the port before the run binds it: one from outside the ephemeral range.
  metricsPort = await pickPort();
  prometheus = await startPrometheus([
    'global: { scrape_interval: 1s }',
    'scrape_configs:',
    `  - { job_name: codeblue, scrape_interval: 1s, scrape_timeout: 1s, static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }] }`,
    '',
  ].join('\n'));
  // Prometheus is ready before its discovery hands the scrape loop its targets (up to 5 s later): wait for that.
  await waitUntil(async () => ((await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as { data: { activeTargets: unknown[] } }).data.activeTargets.length > 0,
    'Prometheus scrapes the run\'s /metrics port', 30_000, 200);
  const file = join(dir, 'codeblue.yaml');
  writeFileSync(file, JSON.stringify({
    name: 'metrics-live',
    target: { baseUrl: `http://127.0.0.1:${(target.address() as AddressInfo).port}` },
    outputs: ['json'],
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: `127.0.0.1:${metricsPort}` },
    hypothesis: [{ name: 'probe', request: { method: 'GET', path: '/probe' }, expect: { status: 200 } }],
    slos: [{ name: 'reads under 2s', objective: '99%', sli: { latency: '2s' }, filter: { scenario: 'closed' } }],
    scenarios: {
      arrival: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '4s', preAllocatedVUs: 1, maxVUs: 1, steps: [{ name: 'slow', request: { path: '/slow' } }] },
      closed: { executor: 'constant-vus', vus: 2, duration: '4s', steps: [{ name: 'fast', request: { path: '/fast' } }, { name: 'sluggish', request: { path: '/sluggish' } }] },
    },
  }));
  plan = await loadPlan(file);
  let asked = false;
  let midRunScrape: Promise<Sample[]> | undefined;
  outcome = await executeGameDay(plan, {
    outRoot: join(dir, 'runs'),
    onEvent: (e: RunEvent) => {
      if (e.type === 'tick' && !asked && e.stats.requests > 0) {
        asked = true;
        midRunScrape = scrape();
      }
    },
  });
  midRun = await midRunScrape;
  results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((r) => target?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a real game day's /metrics", { timeout: 60_000 }, () => {
  it('shows vus, iterations, dropped iterations and the k6 timing Trends mid-run and after the load, equal to the run folder', async () => {
    expect(probeScrapes).toHaveLength(2);
    const [before, end] = probeScrapes as [Sample[], Sample[]];
    expect(has(before, 'k6_iterations_total')).toBe(false);
    expect(midRun).toBeDefined();
    const mid = midRun as Sample[];
    expect(total(mid, 'k6_vus_max')).toBe(3);
    expect(has(mid, 'k6_vus')).toBe(true);
    expect(total(mid, 'k6_iterations_total')).toBeGreaterThan(0);
    expect(total(mid, 'k6_iterations_total')).toBeLessThanOrEqual(total(end, 'k6_iterations_total'));

    // After the load: the same counts as the run folder (samples/metrics.ndjson and results.json).
    const { store } = await readMetrics(join(outcome.runDir, 'samples', 'metrics.ndjson'));
    const runTable = results.phaseTables.find((t) => t.scope === 'run');
    for (const scenario of ['arrival', 'closed']) {
      const iterations = store.query({ metric: 'iterations', tags: { scenario } }).count;
      expect(iterations).toBeGreaterThan(0);
      expect(total(end, 'k6_iterations_total', { scenario })).toBe(iterations);
      expect(total(end, 'k6_iteration_duration_seconds_count', { scenario })).toBe(iterations);
    }
    const dropped = results.timeline.scenarios.arrival?.droppedIterations.reduce((a, b) => a + b, 0) ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(total(end, 'k6_dropped_iterations_total', { scenario: 'arrival' })).toBe(dropped);
    expect(total(end, 'k6_vus_max')).toBe(store.query({ metric: 'vus_max' }).value);
    expect(total(end, 'k6_vus')).toBe(store.query({ metric: 'vus' }).value);

    const requests = runTable?.total.count ?? 0;
    expect(total(end, 'k6_http_reqs_total')).toBe(requests);
    for (const timing of ['blocked', 'connecting', 'tls_handshaking', 'sending', 'waiting', 'receiving']) {
      expect(total(end, `k6_http_req_${timing}_seconds_count`)).toBe(requests);
      expect(has(end, `k6_http_req_${timing}_p95`)).toBe(true);
    }
    // Each VU opened its own connection (3 VUs): connect time was measured; plain HTTP has no TLS handshake.
    expect(total(end, 'k6_http_req_connecting_seconds_sum')).toBeGreaterThan(0);
    expect(total(end, 'k6_http_req_tls_handshaking_seconds_sum')).toBe(0);
    // /sluggish waits 1.3 s before its headers: time to first byte, not receiving time.
    expect(total(end, 'k6_http_req_waiting_max', { name: '/sluggish' })).toBeGreaterThanOrEqual(1.3);
    expect(total(end, 'k6_http_req_waiting_seconds_bucket', { name: '/sluggish', le: '1' })).toBe(0);
  });

  it('counts a "latency 2s" SLO at le="2" in a real Prometheus scraping the run, as the dashboard query does', async () => {
    const runId = results.meta.runId;
    const runTable = results.phaseTables.find((t) => t.scope === 'run');
    const closed = runTable?.rows.filter((r) => r.scenario === 'closed') ?? [];
    // Every request of the SLO's scenario was faster than 2 s (the ones to /sluggish slower than 1 s).
    expect(Math.max(...closed.map((r) => r.maxMs ?? Infinity))).toBeLessThan(2000);
    const query = async (expr: string): Promise<number[]> => {
      const r = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await r.json()) as { status: string; data?: { result: { value: [number, string] }[] } };
      return (body.data?.result ?? []).map((x) => Number(x.value[1]));
    };
    const slo = plan.slos[0] as Plan['slos'][number];
    const ratio = sloErrorRatio(slo, '5m').replaceAll('$run', runId);
    expect(ratio).toContain('le=~"2|2.0"');
    // Prometheus took at least two scrapes with requests of the scenario (rate needs two).
    const scraped = await waitUntil(async () => (await query(`count_over_time(k6_http_reqs_total{run="${runId}",scenario="closed"}[5m])`)).some((n) => n >= 2), 'Prometheus holds two scrapes of the run', 30_000, 200)
      .catch(async (err: unknown) => `${String(err)}; up ${JSON.stringify(await query('count_over_time(up[5m])'))} ok ${JSON.stringify(await query('sum_over_time(up[5m])'))} max scrape s ${JSON.stringify(await query('max_over_time(scrape_duration_seconds[5m])'))} ${prometheus.log()}`);
    expect(scraped).toBe(true);
    expect(await query(ratio)).toEqual([0]);
    // The nearest default bound below the threshold (le="1") would have counted every /sluggish request as bad.
    const [atOne] = await query(ratio.replace('le=~"2|2.0"', 'le=~"1|1.0"'));
    expect(atOne).toBeGreaterThan(0);
  });

  it('`codeblue dashboard prometheus-config --run <dir>` scrapes the run\'s own /metrics address, and refuses a folder that is no run', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'codeblue.js'), 'dashboard', 'prometheus-config', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const r = cli('--run', outcome.runDir, '--interval', '1s');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`targets: ["127.0.0.1:${metricsPort}"]`);
    expect(r.stdout).toContain(`job_name: "codeblue-${results.meta.runId}"`);
    expect(results.meta.metricsUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
    const empty = join(dir, 'not-a-run');
    mkdirSync(empty);
    const bad = cli('--run', empty);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error CB_USAGE .*not a run folder/);
  });
});
