/**
 * @module reports/testing: a realistic synthetic game day (seeded) as a `RunEvaluationInput` — EHR latency fault,
 * span aggregates, PHI findings, ledger, join — for renderer tests, the Chromium test, compare and the bench. @internal
 */
import type { JournalEntry } from '../../core/index.js';
import { millis, seededRandom } from '../../core/index.js';
import type { SpanAggregate } from '../../collectors/index.js';
import type { RunEvaluationInput, ServiceSecondRow } from '../evaluate/input.js';
import { createHistogramLoad } from './histogram-load.js';
import { sampleSlowTrace, sampleSpanWindows } from './sample-spans.js';

export interface SampleRunOptions {
  readonly seconds?: number;
  /** Endpoints, spread over two scenarios. */
  readonly endpoints?: number;
  /** Requests per second per endpoint. */
  readonly rate?: number;
  readonly seed?: number;
  /** Multiplies every latency (a slower release). */
  readonly slowdown?: number;
  /** Failure ratio during the fault (default 0.08). */
  readonly faultErrorRate?: number;
  /** Seconds after the fault ends that stay slow (default 4). */
  readonly recoverySeconds?: number;
  /** Record each second's latencies as up to this many weighted values instead of one value per request. */
  readonly weightedValues?: number;
}

const DAY = 86_400_000;
const NAMES = ['GET /fhir/Patient/{id}', 'GET /fhir/Observation?patient={id}', 'POST /fhir/Patient', 'GET /fhir/MedicationRequest', 'GET /fhir/Encounter'];

const summary = (p50: number, count: number): SpanAggregate['latency'] => ({
  count, sumMs: p50 * 1.2 * count, minMs: p50 * 0.3, maxMs: p50 * 6, avgMs: p50 * 1.2, p50Ms: p50, p90Ms: p50 * 2, p95Ms: p50 * 2.6, p99Ms: p50 * 4,
});

/** Baseline ⅓, fault ⅓ (EHR latency + errors on Patient reads), recovery ⅓. */
export function sampleRunInput(o: SampleRunOptions = {}): RunEvaluationInput {
  const seconds = o.seconds ?? 90;
  const endpoints = Array.from({ length: o.endpoints ?? 3 }, (_, i) => ({
    scenario: i % 3 === 2 ? 'registration' : 'clinicians',
    name: i < NAMES.length ? (NAMES[i] as string) : `GET /fhir/Resource${i}`,
    base: 15 + (i % 5) * 8,
  }));
  const rate = o.rate ?? 10;
  const random = seededRandom(o.seed ?? 7);
  const slow = o.slowdown ?? 1;
  const third = Math.floor(seconds / 3);
  const fault = { startMs: third * 1000, endMs: 2 * third * 1000 };
  const lingerEnd = 2 * third + (o.recoverySeconds ?? 4);
  const load = createHistogramLoad();
  const spanRows: ServiceSecondRow[] = [];
  for (let s = 0; s < seconds; s++) {
    const inFault = s >= third && s < 2 * third;
    const lingering = s >= 2 * third && s < lingerEnd;
    for (const [e, ep] of endpoints.entries()) {
      const hit = inFault && e % 3 === 0;
      const slowTail = lingering && e % 3 === 0;
      const factor = hit ? 12 : slowTail ? 8 : 1;
      const failRate = hit ? (o.faultErrorRate ?? 0.08) : slowTail ? 0.05 : 0.001;
      const n = o.weightedValues ? Math.min(o.weightedValues, rate) : rate;
      const weight = (k: number): number => Math.floor(((k + 1) * rate) / n) - Math.floor((k * rate) / n);
      for (let i = 0; i < n; i++) {
        const failed = random() < failRate;
        const durationMs = ep.base * slow * factor * (0.6 + random() * 0.8 + (random() < 0.03 ? 3 : 0));
        const request = { atMs: s * 1000 + (i * 1000) / n, scenario: ep.scenario, name: ep.name, status: failed ? 503 : 200, durationMs, failed };
        load.record(request, weight(i));
      }
    }
    load.recordVus(s, 'clinicians', 8 + (inFault ? 12 : 0));
    load.recordVus(s, 'registration', 4);
    if (inFault && s % 5 === 0) load.recordDropped(s, 'clinicians', 3);
    spanRows.push({ service: 'fhir-api', startMs: s * 1000, count: rate * 2, p95Ms: 30 * slow * (inFault ? 8 : 1) });
    spanRows.push({ service: 'ehr-adapter', startMs: s * 1000, count: rate, p95Ms: 20 * slow * (inFault ? 11 : 1) });
  }
  const t0 = Date.UTC(2026, 10, 25, 10, 0, 0);
  const j = (offsetMs: number, action: JournalEntry['action'], extra: Partial<JournalEntry> = {}): JournalEntry => ({ time: new Date(t0 + offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra });
  const ehr = { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' } as const;
  const phaseRows = (phase: string, factor: number): SpanAggregate[] => [
    { phase, service: 'fhir-api', span: 'GET /fhir/Patient/:id', count: 900, errors: factor > 1 ? 40 : 1, latency: summary(12 * slow * factor, 900) },
    { phase, service: 'ehr-adapter', span: 'ehr.lookup', count: 900, errors: factor > 1 ? 72 : 0, latency: summary(8 * slow * factor * 1.3, 900) },
  ];
  return {
    meta: {
      name: 'ehr-outage-drill', runId: `20261125T100000-${(o.seed ?? 7).toString(16)}`, planFile: 'codeblue.yaml', target: 'http://127.0.0.1:8080',
      startedAt: new Date(t0).toISOString(), endedAt: new Date(t0 + seconds * 1000).toISOString(), durationMs: seconds * 1000,
    },
    phases: [{ name: 'baseline', startMs: 0, endMs: fault.startMs }, { name: 'fault', startMs: fault.startMs, endMs: fault.endMs }, { name: 'recovery', startMs: fault.endMs, endMs: seconds * 1000 }],
    faults: [{ name: 'ehr-latency', proxy: 'ehr', toxic: 'latency', stream: 'downstream', attributes: { latency: 2000, jitter: 200 }, ...fault }],
    journal: [
      j(0, 'run-start'), j(0, 'proxy-create', { proxy: 'ehr' }), j(0, 'phase-start', { phase: 'baseline' }),
      j(0, 'hypothesis', { phase: 'baseline', reason: 'api healthy: 200' }), j(fault.startMs, 'phase-start', { phase: 'fault' }),
      j(fault.startMs + 180, 'fault-on', { ...ehr, stream: 'downstream', attributes: { latency: 2000, jitter: 200 } }),
      j(fault.endMs + 120, 'fault-off', ehr), j(fault.endMs, 'phase-start', { phase: 'recovery' }),
      j(seconds * 1000 - 50, 'rollback-start'), j(seconds * 1000 - 20, 'rollback-verified', { leftovers: [] }), j(seconds * 1000, 'run-end'),
    ].sort((a, b) => a.offsetMs - b.offsetMs),
    slos: [
      { name: 'availability', description: 'FHIR API answers', objective: 0.9995, sli: 'availability', window: millis(30 * DAY) },
      { name: 'patient reads fast', objective: 0.95, sli: { latency: millis(300) }, window: millis(30 * DAY), filter: { request: NAMES[0] } },
      { name: 'ehr adapter healthy', objective: 0.99, sli: 'availability', window: millis(30 * DAY), filter: { service: 'ehr-adapter' } },
    ],
    thresholds: [
      { key: { source: 'http_req_duration{scenario:clinicians}', metric: 'http_req_duration', tags: { scenario: 'clinicians' } }, expressions: [{ expression: { source: 'p(95)<800', aggregation: 'p', percentile: 95, op: '<', value: 800 } }] },
      { key: { source: 'http_req_failed', metric: 'http_req_failed', tags: {} }, expressions: [{ expression: { source: 'rate<0.05', aggregation: 'rate', op: '<', value: 0.05 } }] },
    ],
    load,
    checks: [{ scenario: 'clinicians', name: 'status is 200', passes: 2600, fails: 12 }, { scenario: 'registration', name: 'patient created', passes: 880, fails: 0 }],
    hypothesis: [
      { name: 'api healthy', phase: 'baseline', pass: true, status: 200, message: 'GET /health → 200 in 4 ms' },
      { name: 'api healthy', phase: 'recovery', pass: true, status: 200, message: 'GET /health → 200 in 5 ms' },
    ],
    traceAssertions: [{
      name: 'EHR reads stay fast', phase: 'fault', matched: 900, pass: false,
      checks: [{ kind: 'duration', expression: 'p(95)<300ms', observed: 540, pass: false, message: 'p(95)=540ms, expected <300ms' }],
    }],
    phi: {
      scan: 'on', onFinding: 'fail', total: 692, allowed: 0, ungrouped: 0,
      byRule: { synthetic: 691, ssn: 1, mrn: 0, phone: 0, email: 0, secret: 0, bearer: 0, jwt: 0 }, scannedSpans: 5400, scannedLogs: 320,
      findings: [
        { location: 'span.attribute', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), spanName: 'GET /fhir/Patient', service: 'fhir-api', key: 'url.query', rule: 'synthetic', masked: '****=******on' },
        { location: 'span.attribute', traceId: 'e'.repeat(32), spanId: 'b'.repeat(16), spanName: 'ehr.lookup', service: 'ehr-adapter', key: 'patient.ssn', rule: 'ssn', masked: '***-**-**89' },
        { location: 'log.body', traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), spanName: '', service: 'fhir-api', key: 'body', rule: 'synthetic', masked: '****** ******on' },
      ],
      groups: [
        { rule: 'synthetic', service: 'fhir-api', key: 'url.query', location: 'span.attribute', count: 690, traceIds: ['a'.repeat(32), 'a1'.repeat(16), 'a2'.repeat(16)], masked: '****=******on' },
        { rule: 'ssn', service: 'ehr-adapter', key: 'patient.ssn', location: 'span.attribute', count: 1, traceIds: ['e'.repeat(32)], masked: '***-**-**89' },
        { rule: 'synthetic', service: 'fhir-api', key: 'body', location: 'log.body', count: 1, traceIds: ['c'.repeat(32)], masked: '****** ******on' },
      ],
    },
    ledger: { checked: 880, acknowledged: 912, rule: 'every acknowledged write, each resource at its latest acknowledgement (880 resources of 912 acknowledged writes)', missingIds: ['Patient/synth-0412'], changedIds: [] },
    join: { total: 3480, withServerSpan: 3431, missing: 49, missingFraction: 49 / 3480, byScenario: {}, byPhase: {}, withoutTraceId: 0 },
    spans: {
      aggregates: [...phaseRows('baseline', 1), ...phaseRows('fault', 9), ...phaseRows('recovery', 1)], perSecond: spanRows,
      windows: sampleSpanWindows({ startMs: 0, endMs: fault.startMs }, { name: 'ehr-latency', ...fault }, 11 * slow),
      slowTraces: [sampleSlowTrace({ name: 'ehr-latency', startMs: fault.startMs })],
    },
  };
}
