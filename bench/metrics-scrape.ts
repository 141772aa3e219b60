/**
 * @module bench: what one /metrics scrape costs once the registry also reads the load's MetricStore (vus,
 * iterations, iteration_duration and the six http_req_* timing Trends), against the same registry's scrape
 * without the store (its per-request series only), measured in the same run on the same samples.
 * Trends are copied at most every (copy time / 3 %) (collectors/metrics/store-view.ts). Goal: scraping every 5 s costs
 * under 5 % of one core beyond the reference.
 */
import { MetricRecorder, MetricStore } from '../core/metrics/index.js';
import type { RequestSample } from '../core/sample.js';
import type { Millis } from '../core/units.js';
import { createMetricsRegistry, type MetricsRegistry } from '../collectors/index.js';

const SCENARIOS = 4;
const NAMES = 25;
const SECONDS = 300;
const PER_SECOND = 400;
const SCRAPES = 20;
const SCRAPE_EVERY_MS = 5000;

export async function run(): Promise<void> {
  const store = new MetricStore();
  const recorder = new MetricRecorder(store);
  const plain = createMetricsRegistry({ runId: 'bench', latencyBoundsMs: [300, 2000] });
  const following = createMetricsRegistry({ runId: 'bench', latencyBoundsMs: [300, 2000] });
  following.followStore(store);
  let n = 0;
  for (let second = 0; second < SECONDS; second++) {
    for (let i = 0; i < PER_SECOND; i++, n++) {
      const d = 1 + ((n * 7919) % 5000) / 10;
      const at = (second * 1000 + (i * 1000) / PER_SECOND) as Millis;
      const scenario = `s${n % SCENARIOS}`;
      const sample: RequestSample = {
        scheduledAt: at, startedAt: at, scenario, name: `GET /fhir/R${(n >> 2) % NAMES}`, method: 'GET', group: '',
        status: n % 50 === 0 ? 503 : 200, durationMs: d, correctedDurationMs: d, failed: n % 50 === 0, bytesSent: 200, bytesReceived: 1500, traceId: '',
        timings: { blocked: 0.01, connecting: n % 100 === 0 ? 0.2 : 0, tlsHandshaking: 0, sending: 0.02, waiting: d - 0.1, receiving: 0.08 },
      };
      recorder.recordRequest(sample);
      plain.recordRequest(sample);
      following.recordRequest(sample);
      if (i % 4 === 3) recorder.recordIteration(scenario, at, 4 * d);
    }
    recorder.recordVus(second * 1000, 40, 50);
  }
  const series = store.list().length;
  const plainMs = scrapeMs(plain);
  // A fresh view copies the Trends at its first render; later renders within the deferral copy counters only.
  const withTrends: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = createMetricsRegistry({ runId: 'bench', latencyBoundsMs: [300, 2000] });
    fresh.followStore(store);
    const t0 = performance.now();
    fresh.render();
    withTrends.push(performance.now() - t0);
  }
  const trendsMs = withTrends.sort((a, b) => a - b)[2] as number;
  following.render();
  const countsMs = scrapeMs(following);
  const refreshEveryMs = Math.max(SCRAPE_EVERY_MS, trendsMs / 0.03);
  const share = (countsMs - plainMs + (trendsMs - countsMs) * (SCRAPE_EVERY_MS / refreshEveryMs)) / SCRAPE_EVERY_MS;
  console.log(`/metrics scrape: ${n.toLocaleString('en-US')} requests over ${SECONDS}s, ${series} store series (${SCENARIOS * NAMES * 2} request label sets)`);
  console.log(`  per-request series only (reference)        ${plainMs.toFixed(1)} ms`);
  console.log(`  + load store, Trends copied                ${trendsMs.toFixed(1)} ms  ratio ${(trendsMs / plainMs).toFixed(2)}×`);
  console.log(`  + load store, Trends deferred (counts only) ${countsMs.toFixed(1)} ms  ratio ${(countsMs / plainMs).toFixed(2)}×`);
  console.log(`  Trends refreshed every ${(refreshEveryMs / 1000).toFixed(1)}s; extra CPU at one scrape per 5s = ${(share * 100).toFixed(2)} % of one core ${share < 0.05 ? '✓' : '✗'} (goal < 5 %)`);
}

function scrapeMs(registry: MetricsRegistry): number {
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    const t0 = performance.now();
    registry.render();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(SCRAPES / 2)] as number;
}
