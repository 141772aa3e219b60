/**
 * @module test/foreign-stack: tracing by hand — sdk-node for export and W3C propagation only (no
 * auto-instrumentation, unlike demo/), OTLP/HTTP JSON to `OTEL_EXPORTER_OTLP_ENDPOINT`.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const SERVICE = 'foreign-fhir';

/** Starts export when the environment names an endpoint; returns the shutdown (flushes what is queued). */
export function startTracing(env: NodeJS.ProcessEnv = process.env): () => Promise<void> {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!base) return async () => undefined;
  const exporter = new OTLPTraceExporter({ url: `${base.replace(/\/+$/, '')}/v1/traces` });
  const sdk = new NodeSDK({ serviceName: SERVICE, spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 300 })] });
  sdk.start();
  return () => sdk.shutdown();
}

const tracer = () => trace.getTracer(SERVICE);

/** Runs `work` in a SERVER span continuing the caller's `traceparent`. */
export function serverSpan<T>(name: string, headers: Record<string, unknown>, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  return tracer().startActiveSpan(name, { kind: SpanKind.SERVER }, parent, async (span) => {
    try {
      return await work(span);
    } finally {
      span.end();
    }
  });
}

/** Runs one database call in a CLIENT span (child of the active server span). */
export function dbSpan<T>(statement: string, work: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(`db ${statement.split(' ')[0]}`, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': statement } }, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
