/** @module collectors/otlp: the stock OpenTelemetry JS OTLP/gRPC exporters (traces, logs, metrics; plain and gzip) against the gRPC receiver. */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { logs, metrics } from '@opentelemetry/sdk-node';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpanStore, type SpanStore } from '../store/span-store.js';
import { startOtlpGrpcReceiver, type OtlpGrpcReceiver } from './grpc-receiver.js';
import type { LogRecordData, MetricPointData } from './types.js';

let store: SpanStore;
let receiver: OtlpGrpcReceiver;

beforeEach(async () => {
  store = createSpanStore();
  receiver = await startOtlpGrpcReceiver({ port: 0, store });
});
afterEach(async () => {
  await receiver.close();
});

const COMPRESSIONS = [['uncompressed', CompressionAlgorithm.NONE], ['gzip', CompressionAlgorithm.GZIP]] as const;
const SPANS = 300; // more than one batch of the BatchSpanProcessor (maxExportBatchSize 512 is cut to 100 below)

describe('stock OpenTelemetry gRPC exporters → OTLP/gRPC receiver', () => {
  for (const [label, compression] of COMPRESSIONS) {
    it(`stores exactly the ${SPANS} spans the ${label} trace exporter sent, fields intact`, async () => {
      const memory = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'fhir-api' }),
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: receiver.url, compression }), { maxExportBatchSize: 100 }),
          new SimpleSpanProcessor(memory),
        ],
      });
      const tracer = provider.getTracer('codeblue-test', '1.2.3');
      for (let i = 0; i < SPANS; i++) {
        const span = tracer.startSpan(`GET /fhir/Patient/${i % 7}`, { kind: SpanKind.SERVER, attributes: { 'http.response.status_code': 200, i } });
        if (i % 10 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream reset' });
        span.end();
      }
      await provider.forceFlush();
      const sent = memory.getFinishedSpans();
      await provider.shutdown();

      expect(receiver.stats().accepted.traces).toBe(SPANS);
      expect(receiver.stats().rejected.traces).toBe(0);
      expect(store.stats().spans.total).toBe(SPANS);
      expect(receiver.stats().byCode.OK).toBeGreaterThanOrEqual(3); // ≥ 3 Export calls of ≤ 100 spans
      for (const s of sent) {
        const [got] = store.spansOf(s.spanContext().traceId);
        expect(got).toMatchObject({
          spanId: s.spanContext().spanId, name: s.name, kind: 2, service: 'fhir-api', attributes: s.attributes,
          status: { code: s.status.code, message: s.status.message ?? '' }, scope: { name: 'codeblue-test', version: '1.2.3' },
        });
      }
    });
  }

  it('stores exactly the log records the logs exporter sent (gzip), tied to their span', async () => {
    const provider = new logs.LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'ehr-adapter' }),
      processors: [new logs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: receiver.url, compression: CompressionAlgorithm.GZIP }) })],
    });
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    const logger = provider.getLogger('audit');
    for (let i = 0; i < 40; i++) {
      logger.emit({ body: `admission ${i}`, severityNumber: 9, severityText: 'INFO', attributes: { n: i }, context: trace.setSpanContext(context.active(), spanContext) });
    }
    await provider.forceFlush();
    await provider.shutdown();
    const got: LogRecordData[] = [];
    for await (const log of store.scanLogs()) got.push(log);
    expect(receiver.stats().accepted.logs).toBe(40);
    expect(got).toHaveLength(40);
    expect(got.map((l) => l.body).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `admission ${i}`).sort());
    expect(got[0]).toMatchObject({ service: 'ehr-adapter', severityNumber: 9, traceId: spanContext.traceId, spanId: spanContext.spanId, scope: { name: 'audit' } });
  });

  it('stores exactly the metric points the metrics exporter sent', async () => {
    const reader = new metrics.PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: receiver.url }), exportIntervalMillis: 60_000 });
    const provider = new metrics.MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'fhir-api' }), readers: [reader] });
    const meter = provider.getMeter('m');
    const requests = meter.createCounter('requests');
    for (const route of ['/fhir/Patient', '/fhir/Observation', '/fhir/Encounter']) requests.add(4, { route });
    const latency = meter.createHistogram('latency', { unit: 'ms' });
    latency.record(10);
    latency.record(30);
    await provider.shutdown(); // one final collection and export (a forceFlush first would export the cumulative points twice)
    const got: MetricPointData[] = [];
    for await (const p of store.scanMetrics()) got.push(p);
    expect(got).toHaveLength(4); // three counter series and one histogram point
    expect(receiver.stats().accepted.metrics).toBe(4);
    expect(got.filter((p) => p.name === 'requests').map((p) => p.attributes.route).sort()).toEqual(['/fhir/Encounter', '/fhir/Observation', '/fhir/Patient']);
    expect(got.find((p) => p.name === 'latency')).toMatchObject({ type: 'histogram', count: 2, sum: 40, unit: 'ms', service: 'fhir-api' });
  });
});
