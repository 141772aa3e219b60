/** @module collectors/metrics: the registry's exposition — k6 names, histograms, phases, faults, spans, escaping, limits. */
import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore, millis } from '../../core/index.js';
import type { SpanRecord } from '../otlp/types.js';
import { METRIC_CATALOGUE } from '../../core/metric-catalogue.js';
import { requestSample } from './fixtures.js';
import { createMetricsRegistry } from './registry.js';
import { startMetricsServer } from './server.js';

describe('metrics registry', () => {
  it('exposes request samples under k6 names with a cumulative seconds histogram', () => {
    const reg = createMetricsRegistry({ runId: 'r1' });
    reg.requests.add(requestSample({ durationMs: 3 }));
    reg.requests.add(requestSample({ durationMs: 700 }));
    reg.requests.add(requestSample({ status: 503, failed: true, durationMs: 40 }));
    const text = reg.render();
    const base = 'run="r1",testid="r1",scenario="clinicians",name="GET /fhir/Patient/{id}",method="GET"';
    expect(text).toContain(`k6_http_reqs_total{${base},status="200",expected_response="true"} 2\n`);
    expect(text).toContain(`k6_http_reqs_total{${base},status="503",expected_response="false"} 1\n`);
    expect(text).toContain(`k6_http_req_duration_seconds_bucket{${base},status="200",expected_response="true",le="0.005"} 1\n`);
    expect(text).toContain(`k6_http_req_duration_seconds_bucket{${base},status="200",expected_response="true",le="0.5"} 1\n`);
    expect(text).toContain(`k6_http_req_duration_seconds_bucket{${base},status="200",expected_response="true",le="1"} 2\n`);
    expect(text).toContain(`k6_http_req_duration_seconds_bucket{${base},status="200",expected_response="true",le="+Inf"} 2\n`);
    expect(text).toContain(`k6_http_req_duration_seconds_sum{${base},status="200",expected_response="true"} 0.703\n`);
    expect(text).toContain(`k6_http_req_duration_seconds_count{${base},status="200",expected_response="true"} 2\n`);
    expect(text).toContain(`k6_http_req_failed_total{${base},status="503"} 1\n`);
    expect(text).toMatch(new RegExp(`k6_http_req_failed_rate\\{${base.replace(/[{}/]/g, '\\$&')}\\} 0\\.333`));
    expect(text).toContain('k6_data_received_total{run="r1",testid="r1",scenario="clinicians"} 2700\n');
    expect(text).toContain('# TYPE k6_http_req_duration_seconds histogram\n');
    // k6 trend-stat gauges, seconds.
    expect(text).toContain(`k6_http_req_duration_min{${base},status="200",expected_response="true"} 0.003\n`);
    expect(text).toContain(`k6_http_req_duration_max{${base},status="200",expected_response="true"} 0.7\n`);
    expect(text).toContain(`k6_http_req_duration_avg{${base},status="200",expected_response="true"} 0.3515\n`);
    expect(reg.valueOf('k6_http_req_duration_p99', { scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', method: 'GET', status: '503', expected_response: 'false' })).toBeCloseTo(0.04, 3);
  });

  it('reads vus, iterations, dropped iterations and the timing Trends from the load store, with a bucket at each latency bound', () => {
    const store = new MetricStore();
    const rec = new MetricRecorder(store);
    const reg = createMetricsRegistry({ runId: 'r1', latencyBoundsMs: [2000, 300] });
    reg.followStore(store);
    expect(reg.render()).not.toMatch(/^k6_vus\{/m);
    const timings = { blocked: 0.5, connecting: 0, tlsHandshaking: 0, sending: 0.1, waiting: 280, receiving: 1 };
    rec.recordRequest(requestSample({ startedAt: millis(100), durationMs: 281.1, timings: { ...timings, connecting: 2 } }));
    rec.recordRequest(requestSample({ startedAt: millis(1500), durationMs: 1501.1, timings: { ...timings, waiting: 1500 } }));
    rec.recordIteration('clinicians', 400, 390);
    rec.recordIteration('clinicians', 3100, 1600);
    rec.recordDropped('clinicians', 500);
    rec.recordVus(1000, 2, 5);
    rec.recordVus(2000, 1, 5);
    // Trend copies take at most a share of a core, so on a busy machine the scrape above can defer the next one's; the
    // first scrape after the load's end always copies them.
    store.markEnd(3600);
    const text = reg.render();
    const base = 'run="r1",testid="r1",scenario="clinicians",name="GET /fhir/Patient/{id}",method="GET",status="200",expected_response="true"';
    expect(reg.bucketsSeconds).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2, 2.5, 5, 10, 30, 60]);
    expect(text).toContain('k6_vus{run="r1",testid="r1"} 1\n');
    expect(text).toContain('k6_vus_max{run="r1",testid="r1"} 5\n');
    expect(text).toContain('k6_iterations_total{run="r1",testid="r1",scenario="clinicians"} 2\n');
    expect(text).toContain('k6_dropped_iterations_total{run="r1",testid="r1",scenario="clinicians"} 1\n');
    expect(text).toContain('k6_iteration_duration_seconds_bucket{run="r1",testid="r1",scenario="clinicians",le="0.5"} 1\n');
    expect(text).toContain('k6_iteration_duration_seconds_bucket{run="r1",testid="r1",scenario="clinicians",le="2"} 2\n');
    expect(text).toContain('k6_iteration_duration_seconds_count{run="r1",testid="r1",scenario="clinicians"} 2\n');
    expect(text).toContain('k6_iteration_duration_max{run="r1",testid="r1",scenario="clinicians"} 1.6\n');
    expect(text).toContain(`k6_http_req_waiting_seconds_bucket{${base},le="0.25"} 0\n`);
    expect(text).toContain(`k6_http_req_waiting_seconds_bucket{${base},le="0.3"} 1\n`);
    expect(text).toContain(`k6_http_req_waiting_seconds_bucket{${base},le="2"} 2\n`);
    expect(text).toContain(`k6_http_req_waiting_seconds_bucket{${base},le="+Inf"} 2\n`);
    expect(text).toContain(`k6_http_req_waiting_seconds_sum{${base}} 1.78\n`);
    expect(text).toContain(`k6_http_req_connecting_max{${base}} 0.002\n`);
    expect(text).toContain(`k6_http_req_connecting_min{${base}} 0\n`);
    expect(text).toContain(`k6_http_req_tls_handshaking_seconds_count{${base}} 2\n`);
    // Request durations are observed per sample, with the same buckets.
    reg.requests.add(requestSample({ durationMs: 290 }));
    expect(reg.render()).toContain(`k6_http_req_duration_seconds_bucket{${base},le="0.3"} 1\n`);
    // Counters follow the store as it grows.
    rec.recordIteration('clinicians', 3500, 10);
    expect(reg.valueOf('k6_iterations_total', { scenario: 'clinicians' })).toBe(3);
  });

  it('tracks checks, VUs, iterations, the current phase and active faults', () => {
    const reg = createMetricsRegistry({ runId: 'r1' });
    reg.checks.add({ at: millis(1), scenario: 's', group: '', name: 'status is 200', ok: true });
    reg.checks.add({ at: millis(2), scenario: 's', group: '', name: 'status is 200', ok: false });
    reg.setVus(7, 20);
    reg.addIterations('s', 3);
    reg.addDroppedIterations('s');
    reg.setPhase('baseline');
    reg.setPhase('fault');
    reg.recordFault({ at: millis(5), action: 'on', proxy: 'ehr', toxic: 'latency-r1', type: 'latency', outcome: 'ok' });
    reg.recordFault({ at: millis(6), action: 'on', proxy: 'pg', toxic: 'reset-r1', type: 'reset_peer', outcome: 'ok' });
    reg.recordFault({ at: millis(9), action: 'off', proxy: 'pg', toxic: 'reset-r1', type: 'reset_peer', outcome: 'ok' });
    const text = reg.render();
    const c = 'run="r1",testid="r1"';
    for (const line of [
      `k6_checks_total{${c},scenario="s",check="status is 200",result="pass"} 1`,
      `k6_checks_total{${c},scenario="s",check="status is 200",result="fail"} 1`,
      `k6_checks_rate{${c},scenario="s",check="status is 200"} 0.5`,
      `k6_vus{${c}} 7`, `k6_vus_max{${c}} 20`,
      `k6_iterations_total{${c},scenario="s"} 3`, `k6_dropped_iterations_total{${c},scenario="s"} 1`,
      `codeblue_phase{${c},phase="baseline"} 0`, `codeblue_phase{${c},phase="fault"} 1`,
      `codeblue_fault_active{${c},proxy="ehr",toxic="latency-r1"} 1`, `codeblue_fault_active{${c},proxy="pg",toxic="reset-r1"} 0`,
    ]) expect(text).toContain(`${line}\n`);
  });

  it('records span durations and errors per service and span, escaping label values', () => {
    const reg = createMetricsRegistry({ runId: 'r"1' });
    const span = { service: 'ehr', name: 'SELECT "patients"\n', durationMs: 20, status: { code: 2, message: '' } } as SpanRecord;
    reg.recordSpan(span);
    const text = reg.render();
    expect(text).toContain('codeblue_span_errors_total{run="r\\"1",testid="r\\"1",service="ehr",span="SELECT \\"patients\\"\\n"} 1\n');
    expect(text).toContain('codeblue_span_duration_seconds_count{run="r\\"1",testid="r\\"1",service="ehr",span="SELECT \\"patients\\"\\n"} 1\n');
  });

  it('caps series per metric and counts what it dropped', () => {
    const reg = createMetricsRegistry({ runId: 'r', maxSeriesPerMetric: 3 });
    for (let i = 0; i < 10; i++) reg.addIterations(`s${i}`);
    const text = reg.render();
    expect(text.match(/^k6_iterations_total\{/gm)).toHaveLength(3);
    expect(text).toContain('codeblue_metrics_dropped_series_total{run="r",testid="r",metric="k6_iterations_total"} 7\n');
  });

  it('documents every catalogued metric with HELP and TYPE', () => {
    const text = createMetricsRegistry({ runId: 'r' }).render();
    for (const m of METRIC_CATALOGUE) expect(text).toContain(`# TYPE ${m.name} ${m.type}\n`);
  });

  it('serves /metrics with the 0.0.4 content type and 404 elsewhere', async () => {
    const reg = createMetricsRegistry({ runId: 'r' });
    reg.setVus(2);
    const server = await startMetricsServer({ port: 0, registry: reg });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await res.text()).toContain('k6_vus{run="r",testid="r"} 2\n');
      expect((await fetch(`${server.url}/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
