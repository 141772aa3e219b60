/** @module reports/writers: exemplars from evaluation to results.json, the HTML "slowest requests" tables and summary.md. */
import { describe, expect, it } from 'vitest';
import { MetricRecorder, MetricStore, type RequestSample } from '../../core/index.js';
import type { Millis } from '../../core/units.js';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { checkResults } from '../results/validate.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/** The sample run's load, plus exemplars from a real MetricStore: one request per 100 ms, the slow ones in the fault. */
function runWithExemplars() {
  const input = sampleRunInput();
  const fault = input.faults[0] as { startMs: number; endMs: number };
  const store = new MetricStore();
  const rec = new MetricRecorder(store);
  const runMs = input.meta.durationMs;
  for (let at = 0, i = 0; at < runMs; at += 100, i++) {
    const inFault = at >= fault.startMs && at < fault.endMs;
    const durationMs = (inFault ? 1500 : 40) + (i % 17);
    const s: RequestSample = {
      scheduledAt: at as Millis, startedAt: (at + (i % 3)) as Millis, scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', method: 'GET', group: '',
      status: 200, durationMs, correctedDurationMs: durationMs + (i % 3), failed: false, bytesSent: 100, bytesReceived: 900,
      traceId: (i + 1).toString(16).padStart(32, 'a'),
    };
    rec.recordRequest(s);
  }
  return evaluateRun({ ...input, load: { ...input.load, exemplars: (f) => store.exemplars.query(f) } });
}

describe('exemplars in the reports', () => {
  const results = runWithExemplars();

  it('keeps per-window exemplars in a valid results.json, slowest first, each window\'s own requests', () => {
    expect(checkResults(JSON.parse(JSON.stringify(results))).ok).toBe(true);
    const fault = results.exemplars?.['fault:ehr-latency'];
    expect(fault?.slowest).toHaveLength(5);
    expect(fault?.slowest.every((e) => e.durationMs >= 1500 && e.intendedStartMs >= (fault?.startMs ?? 0))).toBe(true);
    const durations = fault?.slowest.map((e) => e.durationMs) ?? [];
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    const baseline = results.exemplars?.baseline?.endpoints[0];
    expect(baseline?.slowest.every((e) => e.durationMs < 100)).toBe(true);
    expect(baseline?.near.p50?.durationMs).toBeLessThan(100);
  });

  it('draws a slowest-requests table per fault, each row anchored once as trace-<id>', () => {
    const html = renderHtml(results);
    const section = /<h2 id="slowest-requests">.*?(?=<h2 )/s.exec(html)?.[0] ?? '';
    const ids = [...html.matchAll(/id="trace-([0-9a-f]{32})"/g)].map((m) => m[1]);
    expect(ids).toEqual(results.exemplars?.['fault:ehr-latency']?.slowest.map((e) => e.traceId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(section).toContain('fault &quot;ehr-latency&quot;');
    expect(html).toContain('p95 intended');
  });

  it('lists the top 3 of each fault in summary.md', () => {
    const md = renderMarkdown(results);
    const slowest = results.exemplars?.['fault:ehr-latency']?.slowest ?? [];
    for (const e of slowest.slice(0, 3)) expect(md).toContain(`\`${e.traceId}\``);
    expect(md).not.toContain(slowest[3]?.traceId ?? 'none');
  });

  it('leaves the tables out when the load kept no exemplars (real k6, old results.json)', () => {
    const plain = evaluateRun(sampleRunInput());
    expect(plain.exemplars).toBeUndefined();
    expect(renderHtml(plain)).not.toContain('slowest-requests');
    expect(renderMarkdown(plain)).not.toContain('slowest requests');
  });
});
