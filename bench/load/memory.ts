/**
 * @module bench: records N synthetic request samples straight into a MetricStore (no network) and prints
 * `{ records, rssBeforeMb, rssAfterMb, seconds }` as JSON — run in its own process so RSS is only the store's.
 * A third argument `traced` gives every sample a trace id, so the exemplar reservoirs record too.
 */
import { MetricRecorder, MetricStore } from '../../core/metrics/index.js';
import type { RequestSample } from '../../core/sample.js';
import type { Millis } from '../../core/units.js';

const n = Number(process.argv[2] ?? 10_000_000);
const traced = process.argv[3] === 'traced';
const store = new MetricStore();
const recorder = new MetricRecorder(store);
const statuses = [200, 200, 200, 201, 404, 503];
const names = ['GET /fhir/Patient', 'GET /fhir/Patient/{id}', 'POST /fhir/Observation', 'GET /fhir/Slot'];
global.gc?.();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
let peak = 0;
const checkpoints: { records: number; rssMb: number }[] = [];
for (let i = 0; i < n; i++) {
  const at = i / 20; // 20,000 requests per simulated second → 500 s for 10 M
  const status = statuses[i % statuses.length] as number;
  const d = 1 + ((i * 7919) % 5000) / 10;
  // Made in both modes so the two runs differ only by the exemplar reservoirs.
  const id = (i + 1).toString(16).padStart(32, '0');
  const sample: RequestSample = {
    scheduledAt: at as Millis, startedAt: at as Millis, scenario: i % 3 === 0 ? 'registration' : 'clinicians', name: names[i & 3] as string, method: 'GET', group: '',
    status, durationMs: d, correctedDurationMs: d + (i % 7), failed: status >= 400, bytesSent: 200, bytesReceived: 1500, traceId: traced ? id : '',
    timings: { blocked: 0.01, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: d - 0.1, receiving: 0.1 },
  };
  recorder.recordRequest(sample);
  if ((i & 0xfffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  if ((i + 1) % Math.max(1, Math.floor(n / 4)) === 0) checkpoints.push({ records: i + 1, rssMb: Math.round(process.memoryUsage().rss / 1e5) / 10 });
}
store.compactAll();
const rssAfter = process.memoryUsage().rss;
const p99 = store.query({ metric: 'http_req_duration' }).percentile(99);
process.stdout.write(`${JSON.stringify({ traced, exemplarCandidates: store.exemplars.query({}).candidates.length, records: n, rssBeforeMb: rssBefore / 1e6, rssAfterMb: rssAfter / 1e6, peakMb: Math.max(peak, rssAfter) / 1e6, seconds: (performance.now() - t0) / 1000, p99, checkpoints, simulatedSeconds: n / 20_000 })}\n`);
global.gc?.();
const mu = process.memoryUsage();
process.stderr.write(`${JSON.stringify({ heapUsedMb: mu.heapUsed / 1e6, heapTotalMb: mu.heapTotal / 1e6, externalMb: mu.external / 1e6, arrayBuffersMb: mu.arrayBuffers / 1e6, rssMb: mu.rss / 1e6, series: store.list().length })}\n`);
