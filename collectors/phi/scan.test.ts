/** @module collectors/phi: the PHI-leak scanner over spans and logs received from the stock OTel exporters. */
import { SpanKind, context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { logs } from '@opentelemetry/sdk-node';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../otlp/receiver.js';
import { createSpanStore } from '../store/span-store.js';
import { createPhiMatcher, maskValue } from './rules.js';
import { createPhiScanner, type PhiScannerOptions, type PhiScanResult } from './scan.js';

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
});

/**
 * Starts a receiver whose store feeds one ingest scanner per option set (as the collectors do), lets `send` export to
 * it, and returns each scanner's result.
 */
async function scannedAtIngest(options: readonly PhiScannerOptions[], send: (url: string) => Promise<void>): Promise<PhiScanResult[]> {
  const store = createSpanStore();
  const scanners = options.map((o) => createPhiScanner(o));
  store.onSpan((span) => scanners.forEach((s) => s.addSpan(span)));
  store.onLog((log) => scanners.forEach((s) => s.addLog(log)));
  receiver = await startOtlpReceiver({ port: 0, store });
  await send(receiver.url);
  return scanners.map((s) => s.result());
}

describe('PHI rules', () => {
  const m = createPhiMatcher(['Jane Roe', '1984-02-29', 'Al']);
  it.each([
    ['note', 'admitted jane roe today', 'synthetic', 'jane roe'],
    ['dob', '1984-02-29', 'synthetic', '1984-02-29'],
    ['name', 'Al', 'synthetic', 'Al'],
    ['x', 'ssn 123-45-6789 on file', 'ssn', '123-45-6789'],
    ['x', 'record MRN: 00482137', 'mrn', 'MRN: 00482137'],
    ['patient.mrn', 'A0048213', 'mrn', 'A0048213'],
    ['x', 'call (555) 010-4477', 'phone', '(555) 010-4477'],
    ['x', 'call +1 555.010.4477', 'phone', '+1 555.010.4477'],
    ['x', 'mail jane.roe@example.org', 'email', 'jane.roe@example.org'],
    ['x', `to ${'r'.repeat(70)}@example.org`, 'email', `${'r'.repeat(64)}@example.org`],
    ['http.url', `/fhir/Patient?_id=${'a1%2C'.repeat(800)}x&to=jane.roe@example.org`, 'email', 'jane.roe@example.org'],
  ])('flags %s=%j as %s', (key, text, rule, matched) => {
    expect(m.match(key, text)).toEqual({ rule, matched });
  });

  it.each([
    ['http.url', 'http://127.0.0.1:8080/fhir/Patient/42'],
    ['trace', '0af7651916cd43dd8448eb211c80319c'],
    ['alert', 'Alert raised'],
    ['date', '2026-11-25T10:00:00Z'],
    ['order.id', '12345678'],
    ['version', '1.2.3-4567'],
  ])('leaves %s=%j alone', (key, text) => {
    expect(m.match(key, text)).toBeUndefined();
  });

  it.each([
    ['http.request.header.authorization', 'Bearer 8f3a1c0d9e7b6a5f4e3d2c1b', 'bearer', 'Bearer 8f3a1c0d9e7b6a5f4e3d2c1b'],
    ['log', 'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjb2RlYmx1ZSJ9.c2lnbmF0dXJl rejected', 'jwt', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjb2RlYmx1ZSJ9.c2lnbmF0dXJl'],
  ])('flags a credential-shaped %s=%j as %s', (key, text, rule, matched) => {
    expect(m.match(key, text)).toEqual({ rule, matched });
  });

  it('learns the run\'s own credentials: an opaque token or client secret is found verbatim, short values are ignored', () => {
    const learned = createPhiMatcher([], ['opaque-token-4711abc', 'short']);
    expect(learned.match('x', 'retrying with opaque-token-4711abc')).toEqual({ rule: 'secret', matched: 'opaque-token-4711abc' });
    expect(learned.match('x', 'a short note')).toBeUndefined();
    expect(learned.match('x', 'the Bearer scheme')).toBeUndefined();
  });

  it('masks values, keeping separators and at most the last two characters', () => {
    expect(maskValue('123-45-6789')).toBe('***-**-**89');
    expect(maskValue('Jane Roe')).toBe('**** *oe');
    expect(maskValue('jane.roe@example.org')).toBe('****.***@*******.*rg');
    expect(maskValue('Al')).toBe('**');
  });
});

describe('the PHI scan at ingest', () => {
  it('finds leaks in span attributes, events and log bodies sent by real exporters, masked', async () => {
    let traceId = '';
    let spanId = '';
    const [result] = await scannedAtIngest([{ syntheticValues: ['Jane Roe'] }], async (url) => {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'fhir-api' }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }))],
      });
      const span = provider.getTracer('t').startSpan('POST /fhir/Patient', {
        kind: SpanKind.SERVER, attributes: { 'http.route': '/fhir/Patient', 'patient.name': 'Jane Roe', 'contact.phone': '555-010-4477' },
      });
      span.addEvent('validation.failed', { detail: 'ssn 123-45-6789 rejected' });
      span.end();
      ({ traceId, spanId } = span.spanContext());
      await provider.forceFlush();
      await provider.shutdown();
      const logProvider = new logs.LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': 'ehr-adapter' }),
        processors: [new logs.SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) })],
      });
      logProvider.getLogger('audit').emit({
        body: 'sent result to jane.roe@example.org', attributes: { clean: 'ok' },
        context: trace.setSpanContext(context.active(), span.spanContext()),
      });
      await logProvider.forceFlush();
      await logProvider.shutdown();
    });

    expect(result).toMatchObject({ total: 4, scannedSpans: 1, scannedLogs: 1, byRule: { synthetic: 1, ssn: 1, phone: 1, email: 1 } });
    const where = result?.findings.map((f) => [f.location, f.key, f.rule, f.masked]);
    expect(where).toEqual(expect.arrayContaining([
      ['span.attribute', 'patient.name', 'synthetic', '**** *oe'],
      ['span.attribute', 'contact.phone', 'phone', '***-***-**77'],
      ['span.event', 'event:validation.failed.detail', 'ssn', '***-**-**89'],
      ['log.body', 'body', 'email', '****.***@*******.*rg'],
    ]));
    for (const f of result?.findings ?? []) {
      expect(f.traceId).toBe(traceId);
      expect(f.spanId).toBe(spanId);
    }
    expect(JSON.stringify(result)).not.toMatch(/Jane|6789|4477|example/);
  });
  it('reports a leaky resource once, not on every record that carries it', async () => {
    const resource = { 'service.name': 'ehr', 'deployment.owner': 'call 555-010-4477' };
    const log = { timeUnixNano: '1', epochMs: 0, severityNumber: 9, severityText: '', eventName: '', body: 'ok', attributes: {}, traceId: '', spanId: '', service: 'ehr', resource, scope: { name: '', version: '' } };
    const scanner = createPhiScanner({ syntheticValues: [] });
    scanner.addLog(log);
    scanner.addLog({ ...log, body: 'again' });
    const result = scanner.result();
    expect(result.findings).toEqual([{ location: 'resource', traceId: '', spanId: '', spanName: '', service: 'ehr', key: 'deployment.owner', rule: 'phone', masked: '***-***-**77' }]);
    expect(result.scannedLogs).toBe(2);
  });
});

describe('the PHI scan with the plan\'s compliance settings', () => {
  /** 30 search spans (30 traces) leaking a synthetic name in `url.query`, and one leaking a phone in `note`, via a real exporter. */
  function sendLeakySpans(options: readonly PhiScannerOptions[]): Promise<PhiScanResult[]> {
    return scannedAtIngest(options, async (url) => {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'fhir-api' }),
        // One batch: a simple processor would start 31 exports at once and hit the exporter's concurrency limit.
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }), { maxExportBatchSize: 512, scheduledDelayMillis: 60_000 })],
      });
      const tracer = provider.getTracer('t');
      for (let i = 0; i < 30; i++) tracer.startSpan('GET /fhir/Patient', { kind: SpanKind.SERVER, attributes: { 'url.query': `name=Jane Roe&_count=${i}` } }).end();
      tracer.startSpan('POST /fhir/Patient', { kind: SpanKind.SERVER, attributes: { note: 'call 555-010-4477' } }).end();
      await provider.forceFlush();
      await provider.shutdown();
    });
  }

  it('groups identical findings by rule × service × key, with a count and the first three trace ids', async () => {
    const [result] = await sendLeakySpans([{ syntheticValues: ['Jane Roe'] }]);
    if (result === undefined) throw new Error('no scan result');
    expect(result).toMatchObject({ scan: 'on', onFinding: 'fail', total: 31, allowed: 0, ungrouped: 0 });
    expect(result.groups.map((g) => [g.rule, g.service, g.key, g.count, g.traceIds.length])).toEqual([
      ['synthetic', 'fhir-api', 'url.query', 30, 3],
      ['phone', 'fhir-api', 'note', 1, 1],
    ]);
    expect(new Set(result.groups[0]?.traceIds).size).toBe(3);
    expect(JSON.stringify(result.groups)).not.toMatch(/Jane|4477/);
  });

  it('ignores allow-listed findings by key (glob), by found value or by rule, and counts them as allowed', async () => {
    const [byKey, byValue, both, otherService] = await sendLeakySpans([
      { syntheticValues: ['Jane Roe'], compliance: { phiScan: 'on', onFinding: 'fail', allow: [{ key: 'url.*' }] } },
      { syntheticValues: ['Jane Roe'], compliance: { phiScan: 'on', onFinding: 'fail', allow: [{ pattern: '^555-' }] } },
      { syntheticValues: ['Jane Roe'], compliance: { phiScan: 'on', onFinding: 'warn', allow: [{ rule: 'synthetic', service: 'fhir-api' }, { key: 'note', rule: 'phone' }] } },
      { syntheticValues: ['Jane Roe'], compliance: { phiScan: 'on', onFinding: 'fail', allow: [{ key: 'url.query', service: 'ehr' }] } },
    ]);
    expect(byKey).toMatchObject({ total: 1, allowed: 30 });
    expect(byKey?.groups.map((g) => g.key)).toEqual(['note']);
    expect(byValue).toMatchObject({ total: 30, allowed: 1 });
    expect(both).toMatchObject({ total: 0, allowed: 31, onFinding: 'warn', groups: [] });
    expect(otherService?.total).toBe(31);
  });

  it('scans nothing when the plan turns the scan off, and says so', async () => {
    const [result] = await sendLeakySpans([{ syntheticValues: ['Jane Roe'], compliance: { phiScan: 'off', onFinding: 'fail', allow: [] } }]);
    expect(result).toMatchObject({ scan: 'off', total: 0, scannedSpans: 0, scannedLogs: 0, groups: [] });
  });
});
