/** @module run: the report of a plan of `mllp` steps, from the run's per-second HDR store — HL7 messages as a first-class event kind. */
import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore } from '../core/metrics/index.js';
import { millis } from '../core/index.js';
import { evaluateRun, sampleRunInput, WRITERS, type RunResults } from '../reports/index.js';
import { loadQueryOf } from './load-query.js';

/**
 * 30 s, 10 ADT messages a second on step "admit". Baseline (0–10 s): 9 ACKs of 20 ms and one of 40 ms a second.
 * Fault (10–20 s): every ACK takes 300 ms and 2 of 10 are AE. Recovery: seconds 20 and 21 still slow, then as baseline.
 */
function fillHl7(store: MetricStore): void {
  for (let s = 0; s < 30; s++) {
    for (let i = 0; i < 10; i++) {
      const inFault = s >= 10 && s < 20;
      const failed = inFault && i % 5 === 4;
      const durationMs = inFault || s === 20 || s === 21 ? 300 : i === 9 ? 40 : 20;
      const tags = { scenario: 'adt', name: 'admit', group: '', ack: failed ? 'AE' : 'AA', ...(failed ? { error: 'ACK_AE' } : {}) };
      const at = s * 1000 + i * 100;
      store.add('hl7_msgs', tags, at, 1);
      store.add('hl7_msg_duration', tags, at, durationMs);
      store.add('hl7_msg_failed', tags, at, failed ? 1 : 0);
    }
  }
}

function evaluate(store: MetricStore): RunResults {
  store.compactAll();
  const base = sampleRunInput({ seconds: 30 });
  return evaluateRun({
    ...base, load: loadQueryOf(store), slos: [], thresholds: [], journal: [], spans: undefined, phi: undefined, ledger: undefined, join: undefined,
    meta: { ...base.meta, durationMs: 30_000 },
    phases: [{ name: 'baseline', startMs: 0, endMs: 10_000 }, { name: 'fault', startMs: 10_000, endMs: 20_000 }, { name: 'recovery', startMs: 20_000, endMs: 30_000 }],
    faults: [{ name: 'ehr-slow', proxy: 'ehr', toxic: 'latency', startMs: 10_000, endMs: 20_000 }],
  });
}

const render = (r: RunResults, format: 'markdown' | 'html'): string => WRITERS.find((w) => w.format === format)!.render(r);

describe('the report of HL7 messages only', () => {
  const store = new MetricStore();
  fillHl7(store);
  const r = evaluate(store);
  const hl7 = r.hl7!;

  it('scores the fault on ACK time and failed messages by the HTTP rules', () => {
    const [f] = hl7.resilience.faults;
    // The store's HDR cells answer 20 ms as 20.02 (the middle of its 3-significant-digit bucket).
    expect(f?.baseline).toEqual({ requests: 100, rps: 10, errorRate: 0, p50Ms: 20.02, p95Ms: 40 });
    expect(f?.during).toEqual({ requests: 100, rps: 10, errorRate: 0.2, p50Ms: 300, p95Ms: 300 });
    expect(f).toMatchObject({ p50DeltaMs: 279.98, p95DeltaMs: 260, p95Ratio: 7.5, errorRateDelta: 0.2, recovered: true, recoveredAtMs: 22_000, timeToRecoverMs: 2000 });
    // E = 1 (+20 pp), L = 1 (7.5×), R = 2 s / 60 s = 0.03 → 100 × (1 − 0.4 − 0.3 − 0.009) = 29.
    expect(f?.penalties).toEqual({ errors: 1, latency: 1, recovery: 0.03 });
    expect([f?.score, hl7.resilience.score]).toEqual([29, 29]);
    // The HTTP figures stay what they are: no request, no score.
    expect(r.resilience.faults[0]).toMatchObject({ score: null, recovered: false });
  });

  it('gives per-second columns and per-scope tables of messages', () => {
    const o = hl7.timeline.overall;
    expect(o.messages).toEqual(new Array(30).fill(10));
    expect(o.failed.slice(9, 21)).toEqual([0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0]);
    expect([o.failedRate[10], o.p50Ms[0], o.p95Ms[0], o.p95Ms[15], o.p99Ms[21], o.p95Ms[22]]).toEqual([0.2, 20.02, 40, 300, 300, 40]);
    expect(Object.keys(hl7.timeline.scenarios)).toEqual(['adt']);
    const run = hl7.phaseTables.find((t) => t.scope === 'run');
    expect(run?.rows).toEqual([{ scenario: 'adt', request: 'admit', count: 300, failures: 20, errorRate: 20 / 300, p50Ms: 20.02, p95Ms: 300, p99Ms: 300, maxMs: 300 }]);
    expect(run?.total).toMatchObject({ scenario: '*', request: 'all messages', count: 300, failures: 20 });
    expect(hl7.phaseTables.find((t) => t.scope === 'fault:ehr-slow')?.total).toMatchObject({ count: 100, failures: 20, p50Ms: 300 });
    expect(hl7.phaseTables.map((t) => t.scope)).toEqual(r.phaseTables.map((t) => t.scope));
  });

  it('leads summary.md with messages, failed share and ACK percentiles, and the fault table with ACK deltas', () => {
    const md = render(r, 'markdown');
    expect(md).toContain('| HL7 messages | failed | ACK p95 | ACK p99 | SLOs met | resilience |');
    expect(md).toContain('| 300 | 6.67 % | 300 ms | 300 ms | 0 / 0 | 29 / 100 |');
    expect(md).toContain('| fault | ACK p50 vs baseline | ACK p95 vs baseline | failed vs baseline | time to recover | score |');
    expect(md).toContain('| ehr-slow (ehr latency) | +280 ms | +260 ms | +20 pp | 2 s | 29 |');
    expect(md).not.toContain('| requests |');
  });
});

describe('the report of a mixed plan (HTTP requests and HL7 messages)', () => {
  const store = new MetricStore();
  fillHl7(store);
  const recorder = new MetricRecorder(store);
  for (let s = 0; s < 30; s++) {
    recorder.recordRequest({
      scheduledAt: millis(s * 1000), startedAt: millis(s * 1000), scenario: 'web', name: 'GET /fhir/Patient', method: 'GET', group: '', status: 200,
      durationMs: 15, correctedDurationMs: 15, failed: false, bytesSent: 10, bytesReceived: 100, traceId: 'b'.repeat(32),
    });
  }
  const r = evaluate(store);

  it('keeps HTTP in the lead and adds the HL7 headline, fault table and tables', () => {
    expect(r.phaseTables.find((t) => t.scope === 'run')?.total.count).toBe(30);
    expect(r.hl7?.phaseTables.find((t) => t.scope === 'run')?.total.count).toBe(300);
    const md = render(r, 'markdown');
    expect(md).toContain('| requests | error rate | p95 | p99 | SLOs met | resilience |');
    expect(md).toContain('| HL7 messages | failed | ACK p95 | ACK p99 | resilience |\n|---:|---:|---:|---:|---:|\n| 300 | 6.67 % | 300 ms | 300 ms | 29 / 100 |');
    expect(md).toContain('| fault (HL7 messages) | ACK p50 vs baseline |');
    const html = render(r, 'html');
    expect(html).toContain('data-events="http"');
    expect((html.match(/class="phase-table" data-scope="[^"]+" data-events="hl7"/g) ?? []).length).toBe(r.phaseTables.length);
    expect(html).toContain('id="chart-rps"');
    expect(html).toContain('id="chart-hl7-ack"');
  });
});
