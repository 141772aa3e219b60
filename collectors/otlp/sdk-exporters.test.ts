/** @module collectors/otlp: the stock OpenTelemetry JS exporters (http/protobuf and http/json) against the receiver, field by field. */
import { SpanKind, SpanStatusCode, ValueType, context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { logs, metrics } from '@opentelemetry/sdk-node';
import {
  BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpanStore, type SpanStore } from '../store/span-store.js';
import { startOtlpReceiver, type OtlpReceiver } from './receiver.js';
import type { SpanRecord } from './types.js';

let store: SpanStore;
let receiver: OtlpReceiver;

beforeEach(async () => {
  store = createSpanStore();
  receiver = await startOtlpReceiver({ port: 0, store });
});
afterEach(async () => {
  await receiver.close();
});

const hrToNanos = (t: readonly [number, number]): string => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();

/** Emits a small trace (server → client with an error, an event and a link) through `exporter`. */
async function emitTrace(exporter: SpanExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'fhir-api', 'deployment.environment': 'drill' }),
    spanProcessors: [new BatchSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('codeblue-test', '1.2.3');
  const server = tracer.startSpan('GET /fhir/Patient/{id}', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, ratio: 0.25, cached: false, tags: ['a', 'b'] },
  });
  server.addEvent('patient.loaded', { 'patient.count': 3 });
  const client = tracer.startSpan('pg.query SELECT', {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system': 'postgresql' },
    links: [{ context: server.spanContext(), attributes: { reason: 'retry' } }],
  }, trace.setSpan(context.active(), server));
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
  client.end();
  server.setStatus({ code: SpanStatusCode.OK });
  server.end();
  await provider.forceFlush();
  const finished = memory.getFinishedSpans(); // before shutdown, which empties the in-memory exporter
  await provider.shutdown();
  return finished;
}

function expectSameSpan(got: SpanRecord | undefined, sent: ReadableSpan): void {
  expect(got).toBeDefined();
  const r = got as SpanRecord;
  expect(r.traceId).toBe(sent.spanContext().traceId);
  expect(r.spanId).toBe(sent.spanContext().spanId);
  expect(r.parentSpanId).toBe(sent.parentSpanContext?.spanId ?? '');
  expect(r.name).toBe(sent.name);
  expect(r.kind).toBe(sent.kind + 1); // API SpanKind is 0-based INTERNAL; OTLP adds UNSPECIFIED = 0
  expect(r.startTimeUnixNano).toBe(hrToNanos(sent.startTime));
  expect(r.endTimeUnixNano).toBe(hrToNanos(sent.endTime));
  expect(r.status).toEqual({ code: sent.status.code, message: sent.status.message ?? '' });
  expect(r.attributes).toEqual(sent.attributes);
  expect(r.service).toBe('fhir-api');
  expect(r.resource['deployment.environment']).toBe('drill');
  expect(r.scope).toEqual({ name: 'codeblue-test', version: '1.2.3' });
  // Low 8 bits: W3C trace flags; bit 8 (0x100): "context has is_remote" set by the current SDK.
  expect(r.flags & 0xff).toBe(sent.spanContext().traceFlags);
  expect(r.flags & 0x100).toBe(0x100);
  expect(r.events.map((e) => ({ name: e.name, attributes: e.attributes, timeUnixNano: e.timeUnixNano }))).toEqual(
    sent.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {}, timeUnixNano: hrToNanos(e.time) })),
  );
  expect(r.links).toEqual(sent.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: l.attributes ?? {} })));
}

describe('stock OpenTelemetry exporters → receiver', () => {
  for (const [label, make] of [
    ['http/protobuf', (url: string) => new ProtoExporter({ url: `${url}/v1/traces` })],
    ['http/json', (url: string) => new HttpJsonExporter({ url: `${url}/v1/traces` })],
  ] as const) {
    it(`stores every field of spans sent by the ${label} exporter`, async () => {
      const sent = await emitTrace(make(receiver.url));
      expect(sent).toHaveLength(2);
      const traceId = (sent[0] as ReadableSpan).spanContext().traceId;
      const got = store.spansOf(traceId);
      expect(got).toHaveLength(2);
      for (const span of sent) expectSameSpan(got.find((g) => g.spanId === span.spanContext().spanId), span);
      expect(store.hasServerSpan(traceId)).toBe(true);
      expect(receiver.stats().accepted.traces).toBe(2);
    });
  }

  it('stores log records sent by the http/protobuf logs exporter, tied to their span', async () => {
    const provider = new logs.LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'ehr-adapter' }),
      processors: [new logs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${receiver.url}/v1/logs` }) })],
    });
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    provider.getLogger('audit').emit({
      body: 'patient Jane Roe admitted',
      severityNumber: 13, // SeverityNumber.WARN (logs.proto)
      severityText: 'WARN',
      attributes: { 'patient.mrn': 'MRN-0048213' },
      context: trace.setSpanContext(context.active(), spanContext),
    });
    await provider.forceFlush();
    await provider.shutdown();
    const got = [];
    for await (const log of store.scanLogs()) got.push(log);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      body: 'patient Jane Roe admitted', severityNumber: 13, severityText: 'WARN', service: 'ehr-adapter',
      attributes: { 'patient.mrn': 'MRN-0048213' }, traceId: spanContext.traceId, spanId: spanContext.spanId,
      scope: { name: 'audit', version: '' },
    });
  });

  it('stores metric points sent by the http/protobuf metrics exporter', async () => {
    const reader = new metrics.PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${receiver.url}/v1/metrics` }), exportIntervalMillis: 60_000,
    });
    const provider = new metrics.MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'fhir-api' }), readers: [reader] });
    const meter = provider.getMeter('m');
    meter.createCounter('requests').add(5, { route: '/fhir/Patient' });
    meter.createUpDownCounter('queue.depth', { valueType: ValueType.INT }).add(-7);
    const h = meter.createHistogram('latency', { unit: 'ms' });
    h.record(10);
    h.record(30);
    await provider.forceFlush();
    await provider.shutdown();
    const got = [];
    for await (const p of store.scanMetrics()) got.push(p);
    expect(got.find((p) => p.name === 'requests')).toMatchObject({ type: 'sum', value: 5, isMonotonic: true, attributes: { route: '/fhir/Patient' }, service: 'fhir-api' });
    expect(got.find((p) => p.name === 'queue.depth')).toMatchObject({ type: 'sum', value: -7, isMonotonic: false });
    expect(got.find((p) => p.name === 'latency')).toMatchObject({ type: 'histogram', count: 2, sum: 40, unit: 'ms' });
  });
});
