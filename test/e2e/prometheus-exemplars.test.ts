/**
 * @module test/e2e: OpenMetrics exemplars on `/metrics`, end to end — the embedded engine loads a local server,
 * its samples feed the metrics registry, and a real Prometheus 2.42 with exemplar storage scrapes it (it asks for
 * OpenMetrics first). The exemplars it stores name trace ids the engine sent, with those requests' durations.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, EXPOSITION_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE, startMetricsServer, type MetricsServer } from '../../collectors/index.js';
import type { RequestSample } from '../../core/index.js';
import { runLoad, scenarioSchema } from '../../scenarios/index.js';
import { waitUntil } from '../support/poll.js';
import { startPrometheus, type PrometheusProcess } from '../support/prometheus.js';

const RUN_ID = 'run-exemplars-1';
let app: Server;
let metrics: MetricsServer;
let prom: PrometheusProcess | undefined;
const samples: RequestSample[] = [];

interface ExemplarSeries {
  readonly seriesLabels: Record<string, string>;
  readonly exemplars: readonly { readonly labels: Record<string, string>; readonly value: string; readonly timestamp: number }[];
}

async function queryExemplars(expr: string): Promise<ExemplarSeries[]> {
  const now = Date.now() / 1000;
  const res = await fetch(`${prom?.url}/api/v1/query_exemplars?query=${encodeURIComponent(expr)}&start=${now - 600}&end=${now + 60}`);
  const body = (await res.json()) as { status: string; data: ExemplarSeries[] | null };
  return body.status === 'success' ? body.data ?? [] : [];
}

beforeAll(async () => {
  let n = 0;
  app = createServer((_req, res) => {
    // A spread of latencies, so the exemplars land in several buckets.
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), (n++ * 7) % 40);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const registry = createMetricsRegistry({ runId: RUN_ID });
  metrics = await startMetricsServer({ port: 0, registry });
  prom = await startPrometheus([
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: codeblue',
    `    static_configs: [{ targets: ["127.0.0.1:${metrics.port}"] }]`,
  ].join('\n'), { flags: ['--enable-feature=exemplar-storage'] });
  await runLoad({
    baseUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    scenarios: { open: scenarioSchema.parse({ executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s', preAllocatedVUs: 10, steps: [{ name: 'get', request: { path: '/' } }] }) },
    safety: { maxDuration: 60_000, maxRequests: 1000, maxVUs: 50 },
    samples: { add: (s) => { samples.push(s); registry.requests.add(s); } },
  });
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await metrics?.close();
  await new Promise((resolve) => app?.close(resolve));
}, 20_000);

describe('/metrics exemplars', () => {
  it('serves OpenMetrics with trace-id exemplars only when asked, the text format otherwise', async () => {
    const om = await fetch(`${metrics.url}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' } });
    expect(om.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    const omText = await om.text();
    expect(omText.endsWith('# EOF\n')).toBe(true);
    expect(omText).toContain('# TYPE k6_http_reqs counter\n');
    expect(omText).toMatch(/^k6_http_req_duration_seconds_bucket\{[^}]*\} \d+ # \{trace_id="[0-9a-f]{32}"\} [0-9.e-]+ \d+\.\d{3}$/m);
    expect(omText).toMatch(/^k6_http_req_duration_corrected_seconds_bucket\{[^}]*\} \d+ # \{trace_id="[0-9a-f]{32}"\}/m);

    const text = await fetch(`${metrics.url}/metrics`);
    expect(text.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    const body = await text.text();
    expect(body).not.toContain('# {');
    expect(body).not.toContain('# EOF');
    expect(body).toContain('# TYPE k6_http_reqs_total counter\n');
  });

  it('a real Prometheus stores the exemplars: trace ids the engine sent, with their requests\' durations', async () => {
    expect(samples.length).toBeGreaterThan(0);
    const byTrace = new Map(samples.map((s) => [s.traceId, s]));
    const stored = await waitUntil(async () => {
      const found = await queryExemplars(`k6_http_req_duration_seconds_bucket{run="${RUN_ID}"}`);
      return found.some((s) => s.exemplars.length > 0) ? found : undefined;
    }, `Prometheus stored exemplars (its log: ${prom?.log().slice(-500)})`, 30_000, 250);
    const exemplars = (stored ?? []).flatMap((s) => s.exemplars);
    for (const e of exemplars) {
      const sample = byTrace.get(e.labels.trace_id ?? '');
      expect(sample, `exemplar trace ${e.labels.trace_id} was sent by the engine`).toBeDefined();
      expect(Number(e.value)).toBeCloseTo((sample?.durationMs ?? Number.NaN) / 1000, 9);
    }
    const corrected = await waitUntil(async () => {
      const found = await queryExemplars(`k6_http_req_duration_corrected_seconds_bucket{run="${RUN_ID}"}`);
      return found.some((s) => s.exemplars.length > 0) ? found : undefined;
    }, 'Prometheus stored corrected-latency exemplars', 30_000, 250);
    for (const e of (corrected ?? []).flatMap((s) => s.exemplars)) {
      expect(Number(e.value)).toBeCloseTo((byTrace.get(e.labels.trace_id ?? '')?.correctedDurationMs ?? Number.NaN) / 1000, 9);
    }
  }, 45_000);
});
