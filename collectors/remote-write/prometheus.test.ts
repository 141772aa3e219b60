/**
 * @module collectors/remote-write: pushes to a real Prometheus 2.42 (remote-write receiver and native histograms
 * on) and reads back through its query API exactly what the MetricStore holds; receiver errors and unreachable
 * receivers become reported reasons, and a non-loopback URL is refused by the guard.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetGuard, LOOPBACK_GUARD, millis } from '../../core/index.js';
import { MetricRecorder, MetricStore } from '../../core/metrics/index.js';
import { startPrometheus, type PrometheusProcess } from '../../test/support/prometheus.js';
import { requestSample } from '../metrics/fixtures.js';
import { startRemoteWrite } from './output.js';
import { remoteWriteOutputSchema } from './schema.js';

let prom: PrometheusProcess | undefined;
let bare: PrometheusProcess | undefined;
const store = new MetricStore();
const durations = [5, 12, 12, 30, 45, 80, 120, 250, 600, 1400];

interface Vector { metric: Record<string, string>; value: [number, string] }

async function query(url: string, expr: string): Promise<Vector[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: Vector[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? 'failed'}`);
  return body.data.result;
}
const valueOf = async (expr: string): Promise<number> => Number((await query(prom?.url ?? '', expr))[0]?.value[1]);
const config = (url: string, over: Record<string, unknown> = {}) => remoteWriteOutputSchema.parse({ type: 'prometheus-rw', url, pushInterval: '1h', ...over });

beforeAll(async () => {
  const recorder = new MetricRecorder(store);
  durations.forEach((d, i) => recorder.recordRequest(requestSample({ startedAt: millis(i * 100), durationMs: d, status: i === 9 ? 503 : 200, failed: i === 9, timings: { blocked: 1, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: d - 1, receiving: 1 } })));
  recorder.recordCheck({ at: millis(500), scenario: 'clinicians', group: '', name: 'status is 200', ok: true });
  recorder.recordCheck({ at: millis(600), scenario: 'clinicians', group: '', name: 'status is 200', ok: false });
  recorder.recordIteration('clinicians', 900, 321);
  recorder.recordDropped('clinicians', 950);
  recorder.recordVus(1000, 7, 10);
  const flags = ['--web.enable-remote-write-receiver', '--enable-feature=native-histograms'];
  [prom, bare] = await Promise.all([startPrometheus('global: { scrape_interval: 1m }\n', { flags }), startPrometheus('global: { scrape_interval: 1m }\n')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([prom?.stop(), bare?.stop()]);
}, 20_000);

describe('Prometheus remote write into a real Prometheus', { timeout: 60_000 }, () => {
  it("pushes k6's series with k6's names, labels and values (trend stats as gauges in seconds)", async () => {
    const errors: string[] = [];
    const out = await startRemoteWrite({ config: config(`${prom?.url}/api/v1/write`), store, testId: 'rw-stats', guard: LOOPBACK_GUARD, onError: (m) => errors.push(m) });
    const stats = await out.stop();
    expect(errors).toEqual([]);
    expect(stats).toMatchObject({ pushes: 1, failed: 0 });
    const sel = '{testid="rw-stats"}';
    expect(await valueOf(`sum(k6_http_reqs_total${sel})`)).toBe(10);
    expect(await valueOf(`sum(k6_http_reqs_total{testid="rw-stats", expected_response="false"})`)).toBe(1);
    const [reqs] = await query(prom?.url ?? '', 'k6_http_reqs_total{testid="rw-stats", status="503"}');
    expect(reqs?.metric).toEqual({ __name__: 'k6_http_reqs_total', testid: 'rw-stats', scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', method: 'GET', status: '503', expected_response: 'false' });
    expect(await valueOf(`k6_http_req_duration_max{testid="rw-stats", status="200"}`)).toBe(0.6);
    expect(await valueOf(`k6_http_req_duration_min{testid="rw-stats", status="200"}`)).toBe(0.005);
    expect(await valueOf(`k6_http_req_duration_avg{testid="rw-stats", status="200"}`)).toBeCloseTo(durations.slice(0, 9).reduce((a, b) => a + b, 0) / 9 / 1000, 9);
    expect(await valueOf(`k6_http_req_duration_p99{testid="rw-stats", status="200"}`)).toBeCloseTo(0.6, 2);
    expect(await valueOf(`k6_http_req_waiting_p95{testid="rw-stats", status="200"}`)).toBeGreaterThan(0);
    expect(await valueOf(`sum(k6_http_req_failed_rate${sel})`)).toBe(1);
    expect(await valueOf(`k6_checks_rate${sel}`)).toBe(0.5);
    expect(await valueOf(`k6_vus${sel}`)).toBe(7);
    expect(await valueOf(`k6_vus_max${sel}`)).toBe(10);
    expect(await valueOf(`k6_iterations_total${sel}`)).toBe(1);
    expect(await valueOf(`k6_dropped_iterations_total${sel}`)).toBe(1);
    expect(await valueOf(`k6_iteration_duration_p99${sel}`)).toBeCloseTo(0.321, 3);
    expect(await valueOf(`k6_data_sent_total${sel}`)).toBe(1000);
    expect(await valueOf(`k6_data_received_total${sel}`)).toBe(9000);
  });

  it('pushes trends as native histograms when asked: histogram_count, _sum and _quantile read them', async () => {
    const errors: string[] = [];
    const out = await startRemoteWrite({ config: config(`${prom?.url}/api/v1/write`, { trendAsNativeHistogram: true }), store, testId: 'rw-native', guard: LOOPBACK_GUARD, onError: (m) => errors.push(m) });
    await out.stop();
    expect(errors).toEqual([]);
    const sel = '{testid="rw-native"}';
    expect(await valueOf(`sum(histogram_count(k6_http_req_duration_seconds${sel}))`)).toBe(10);
    expect(await valueOf(`sum(histogram_sum(k6_http_req_duration_seconds${sel}))`)).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / 1000, 6);
    // Schema 3 buckets are 9 % wide: the median (between 45 and 80 ms) interpolates inside its bucket.
    const median = await valueOf(`histogram_quantile(0.5, sum(k6_http_req_duration_seconds${sel}))`);
    expect(median).toBeGreaterThan(0.03);
    expect(median).toBeLessThan(0.09);
    expect(await query(prom?.url ?? '', `k6_http_req_duration_p99${sel}`)).toEqual([]);
    expect(await valueOf(`histogram_count(k6_iteration_duration_seconds${sel})`)).toBe(1);
  });

  it('ends every pushed series with a stale marker when asked, so Prometheus stops returning it at once', async () => {
    const errors: string[] = [];
    const out = await startRemoteWrite({ config: config(`${prom?.url}/api/v1/write`, { staleMarkers: true }), store, testId: 'rw-stale', guard: LOOPBACK_GUARD, onError: (m) => errors.push(m) });
    await out.flush();
    expect(await valueOf('k6_vus{testid="rw-stale"}')).toBe(7);
    const stats = await out.stop();
    expect(errors).toEqual([]);
    expect(stats.pushes).toBe(3); // the flush, the last push, the stale markers
    expect(await query(prom?.url ?? '', 'k6_vus{testid="rw-stale"}')).toEqual([]);
    expect(await query(prom?.url ?? '', 'k6_http_reqs_total{testid="rw-stale"}')).toEqual([]);
    // The samples before the marker are still there for range queries.
    expect(await query(prom?.url ?? '', 'max_over_time(k6_vus{testid="rw-stale"}[5m])')).toHaveLength(1);
  });

  it("reports the receiver's own reason for a refused push (no remote-write receiver: 404), once, and keeps going", async () => {
    const errors: string[] = [];
    const out = await startRemoteWrite({ config: config(`${bare?.url}/api/v1/write`), store, testId: 'rw-404', guard: LOOPBACK_GUARD, onError: (m) => errors.push(m) });
    await out.flush();
    store.add('vus', {}, 1100, 8);
    const stats = await out.stop();
    expect(stats.failed).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Prometheus remote write to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write failed: HTTP 404: .*remote write receiver needs to be enabled/);
  });

  it('reports a receiver that answers 400 with its body, and one that is not listening with the network error', async () => {
    const server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(400).end('out of order sample')); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const errors: string[] = [];
    try {
      const out = await startRemoteWrite({ config: config(`http://127.0.0.1:${port}/api/v1/write`), store, testId: 'rw-400', guard: LOOPBACK_GUARD, onError: (m) => errors.push(m) });
      await out.stop();
    } finally {
      await new Promise((r) => server.close(r));
    }
    const closed = await startRemoteWrite({ config: config(`http://127.0.0.1:${port}/api/v1/write`), store, testId: 'rw-closed', guard: LOOPBACK_GUARD, onError: (m) => errors.push(m) });
    await closed.stop();
    expect(errors).toEqual([expect.stringMatching(/failed: HTTP 400: out of order sample$/), expect.stringMatching(/failed: .*ECONNREFUSED/)]);
  });

  it('refuses a non-loopback URL unless the host is allow-listed and --allow-remote is given', async () => {
    const guard = createNetGuard({ policy: { allowHosts: ['metrics.example'], allowRemote: false }, resolve: async () => ['203.0.113.9'] });
    const err = await startRemoteWrite({ config: config('http://metrics.example/api/v1/write'), store, testId: 'x', guard, onError: () => undefined }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
    expect((err as Error).message).toContain('outputs.prometheus-rw.url');
  });
});
