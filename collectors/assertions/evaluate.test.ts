/** @module collectors/assertions: trace assertions — schema errors and per-phase verdicts on real stored spans. */
import { describe, expect, it } from 'vitest';
import { decodeExport } from '../otlp/decode.js';
import { hexId, traceRequestJson, type PayloadSpan } from '../otlp/test-payloads.js';
import { traceAssertionSchema, type TraceAssertion } from '../schema.js';
import { createSpanStore } from '../store/span-store.js';
import { evaluateTraceAssertions } from './evaluate.js';
import { parseDurationExpression, parseRateExpression } from './expressions.js';

const T0 = 1_700_000_000_000;

function storeWith(service: string, spans: PayloadSpan[]) {
  const store = createSpanStore();
  store.setPhase('baseline', T0);
  store.setPhase('fault', T0 + 10_000);
  const decoded = decodeExport('traces', 'json', Buffer.from(JSON.stringify(traceRequestJson(service, spans))));
  if (decoded.signal === 'traces') store.addSpans(decoded.result.records);
  return store;
}

/** 100 baseline spans of 1..100 ms and 100 fault spans of 1000..1099 ms, 10 % of the fault ones ERROR. */
function drillStore() {
  const spans: PayloadSpan[] = [];
  for (let i = 0; i < 100; i++) {
    spans.push({ traceId: hexId(i, 16), spanId: hexId(i, 8), name: 'GET /fhir/Patient', startMs: T0 + i, durationMs: i + 1, attributes: { 'http.route': '/fhir/Patient' } });
    spans.push({ traceId: hexId(1000 + i, 16), spanId: hexId(1000 + i, 8), name: 'GET /fhir/Patient', startMs: T0 + 10_000 + i, durationMs: 1000 + i, statusCode: i % 10 === 0 ? 2 : 1, attributes: { 'http.route': '/fhir/Patient' } });
  }
  return storeWith('fhir-api', spans);
}

const assertion = (a: unknown): TraceAssertion => traceAssertionSchema.parse(a);

describe('trace assertion expressions', () => {
  it('parses k6-style duration thresholds and rates', () => {
    expect(parseDurationExpression('p(95)<300ms')).toEqual({ stat: 'p', percentile: 95, op: '<', valueMs: 300, source: 'p(95)<300ms' });
    expect(parseDurationExpression('max <= 1s')).toMatchObject({ stat: 'max', op: '<=', valueMs: 1000 });
    expect(parseDurationExpression('avg<200')).toMatchObject({ stat: 'avg', valueMs: 200 });
    expect(parseDurationExpression('p(101)<1s')).toBeUndefined();
    expect(parseDurationExpression('p95<1s')).toBeUndefined();
    expect(parseRateExpression('<1%')).toMatchObject({ op: '<', value: 0.01 });
    expect(parseRateExpression('<2')).toBeUndefined();
  });

  it('rejects unknown keys and bad expressions with a message per issue', () => {
    const r = traceAssertionSchema.safeParse({ name: 'x', selector: { span: '/(/', servce: 'a' }, assert: { duration: 'p95<1', count: 'lots' } });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^selector: Unrecognized key/),
      expect.stringMatching(/^selector\.span: invalid \/regex\//),
      expect.stringMatching(/^assert\.duration/),
      expect.stringMatching(/^assert\.count: expected a count/),
    ]));
    expect(traceAssertionSchema.safeParse({ name: 'x', selector: {}, assert: {} }).success).toBe(false);
  });
});

describe('evaluateTraceAssertions', () => {
  it('judges durations, error rate and count separately per phase', async () => {
    const results = await evaluateTraceAssertions([assertion({
      name: 'patient reads', selector: { service: 'fhir-api', span: '/^GET /' },
      assert: { duration: ['p(95)<300ms', 'max<2s'], errorRate: '<5%', count: '>=100' },
    })], drillStore());
    expect(results.map((r) => [r.phase, r.matched, r.pass])).toEqual([['baseline', 100, true], ['fault', 100, false]]);
    const fault = results[1]?.checks ?? [];
    expect(fault.map((c) => [c.kind, c.pass])).toEqual([['duration', false], ['duration', true], ['count', true], ['errorRate', false]]);
    expect(fault[0]?.observed).toBeGreaterThan(1080 * 0.99); // p(95) of 1000..1099 ms ≈ 1094 ms
    expect(fault[0]?.observed).toBeLessThan(1099 * 1.01);
    expect(fault[3]?.observed).toBeCloseTo(0.1);
    expect(results[0]?.checks[0]?.observed).toBeGreaterThan(94 * 0.99);
  });

  it('checks status and attributes of every matched span, and honours the phase selector', async () => {
    const results = await evaluateTraceAssertions([
      assertion({ name: 'ok in fault', selector: { phase: 'fault', attributes: { 'http.route': '/fhir/Patient' } }, assert: { status: 'ok' } }),
      assertion({ name: 'errors exist', selector: { status: 'error' }, assert: { count: '==0' } }),
      assertion({ name: 'route', selector: { kind: 'server' }, assert: { attributes: { 'http.route': '/fhir/Other' } } }),
    ], drillStore());
    expect(results.find((r) => r.name === 'ok in fault')).toMatchObject({ phase: 'fault', pass: false, checks: [{ kind: 'status', observed: 10 }] });
    expect(results.filter((r) => r.name === 'errors exist').map((r) => [r.phase, r.matched, r.pass])).toEqual([['baseline', 0, true], ['fault', 10, false]]);
    expect(results.filter((r) => r.name === 'route').every((r) => !r.pass && r.checks[0]?.observed === 100)).toBe(true);
  });

  it('passes duration checks with no matched spans but reports it, so count can require presence', async () => {
    const results = await evaluateTraceAssertions([
      assertion({ name: 'absent', selector: { service: 'nope' }, assert: { duration: 'p(99)<1ms', count: '>=1' } }),
    ], drillStore());
    expect(results[0]?.checks).toEqual([
      { kind: 'duration', expression: 'p(99)<1ms', observed: null, pass: true, message: 'no spans matched' },
      { kind: 'count', expression: '>=1', observed: 0, pass: false, message: 'count=0' },
    ]);
  });
});
