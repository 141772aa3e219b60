/**
 * @module collectors/metrics: a real Prometheus server (Debian package `prometheus`) scrapes codeblue's
 * /metrics; its query API must return exactly what codeblue recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { millis } from '../../core/index.js';
import { startPrometheus, type PrometheusProcess } from '../../test/support/prometheus.js';
import type { SpanRecord } from '../otlp/types.js';
import { requestSample } from './fixtures.js';
import { createMetricsRegistry, type MetricsRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

let prom: PrometheusProcess | undefined;
let promUrl: string;
let server: MetricsServer;
let registry: MetricsRegistry;

interface Vector { metric: Record<string, string>; value: [number, string] }

async function query(expr: string): Promise<Vector[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: Vector[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

/** Polls Prometheus (every 250 ms, at most 30 s) until `expr` returns a series. */
async function waitFor(expr: string): Promise<Vector[]> {
  for (let i = 0; i < 120; i++) {
    const r = await query(expr).catch(() => []);
    if (r.length > 0) return r;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Prometheus never returned ${expr}; its log:\n${prom?.log().slice(-2000) ?? ''}`);
}

beforeAll(async () => {
  registry = createMetricsRegistry({ runId: 'run-prom-1' });
  for (let i = 0; i < 40; i++) registry.recordRequest(requestSample({ durationMs: 10 + i * 10, status: i % 8 === 0 ? 500 : 200, failed: i % 8 === 0 }));
  registry.recordCheck({ at: millis(1), scenario: 'clinicians', group: '', name: 'status is 200', ok: true });
  registry.setVus(12, 30);
  registry.addDroppedIterations('clinicians', 4);
  registry.setPhase('baseline');
  registry.setPhase('fault');
  registry.recordFault({ at: millis(1), action: 'on', proxy: 'ehr', toxic: 'latency', type: 'latency', outcome: 'ok' });
  registry.recordSpan({ service: 'ehr-adapter', name: 'GET /Patient', durationMs: 250, status: { code: 2, message: '' } } as SpanRecord);
  server = await startMetricsServer({ port: 0, registry });
  prom = await startPrometheus([
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: codeblue',
    `    static_configs: [{ targets: ["127.0.0.1:${server.port}"] }]`,
  ].join('\n'));
  promUrl = prom.url;
}, 30_000);

afterAll(async () => {
  await prom?.stop();
  await server?.close();
}, 15_000);

describe('real Prometheus scraping /metrics', () => {
  it('scrapes the target successfully', async () => {
    const up = await waitFor('up{job="codeblue"}');
    expect(up[0]?.value[1]).toBe('1');
  }, 40_000);

  it('answers k6 request counters and histogram counts equal to what codeblue recorded', async () => {
    const ok = await waitFor('k6_http_reqs_total{testid="run-prom-1",status="200"}');
    expect(Number(ok[0]?.value[1])).toBe(registry.valueOf('k6_http_reqs_total', {
      scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', method: 'GET', status: '200', expected_response: 'true',
    }));
    expect(Number(ok[0]?.value[1])).toBe(35);
    // Live: a request recorded now shows up at the next scrape.
    registry.recordRequest(requestSample({ durationMs: 20 }));
    await waitFor('k6_http_reqs_total{testid="run-prom-1",status="200"} == 36');
    const failed = await query('sum(k6_http_req_failed_total{run="run-prom-1"})');
    expect(failed[0]?.value[1]).toBe('5');
    const count = await query('sum(k6_http_req_duration_seconds_count{run="run-prom-1"})');
    expect(count[0]?.value[1]).toBe('41');
    // 10..400 ms plus the live 20 ms one: 6 samples ≤ 50 ms across both status series.
    const le50 = await query('sum(k6_http_req_duration_seconds_bucket{run="run-prom-1",le="0.05"})');
    expect(le50[0]?.value[1]).toBe('6');
    const max = await query('max(k6_http_req_duration_max{run="run-prom-1"})');
    expect(max[0]?.value[1]).toBe('0.4');
    const p50 = await query('histogram_quantile(0.5, sum by (le) (k6_http_req_duration_seconds_bucket{run="run-prom-1"}))');
    expect(Number(p50[0]?.value[1])).toBeGreaterThan(0.1);
    expect(Number(p50[0]?.value[1])).toBeLessThanOrEqual(0.25);
  }, 40_000);

  it('answers gauges for VUs, phase, faults and span metrics', async () => {
    await waitFor('k6_vus{run="run-prom-1"}');
    const one = async (expr: string) => (await query(expr))[0]?.value[1];
    expect(await one('k6_vus{run="run-prom-1"}')).toBe('12');
    expect(await one('k6_vus_max{run="run-prom-1"}')).toBe('30');
    expect(await one('k6_dropped_iterations_total{run="run-prom-1",scenario="clinicians"}')).toBe('4');
    expect(await one('k6_checks_rate{run="run-prom-1",check="status is 200"}')).toBe('1');
    expect(await one('codeblue_phase{run="run-prom-1",phase="fault"}')).toBe('1');
    expect(await one('codeblue_phase{run="run-prom-1",phase="baseline"}')).toBe('0');
    expect(await one('codeblue_fault_active{run="run-prom-1",proxy="ehr",toxic="latency"}')).toBe('1');
    expect(await one('codeblue_span_errors_total{run="run-prom-1",service="ehr-adapter"}')).toBe('1');
    expect(await one('codeblue_span_duration_seconds_sum{run="run-prom-1",service="ehr-adapter"}')).toBe('0.25');
  }, 40_000);
});
