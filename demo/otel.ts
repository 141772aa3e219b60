/** @module demo: OpenTelemetry for one demo process — sdk-node, http/undici/pg instrumentation, OTLP/HTTP export. */
import { createRequire } from 'node:module';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RedactingSpanProcessor } from './redact-spans.js';

/** Handle to flush and stop telemetry. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as-is, else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
export function tracesUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (explicit) return explicit;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:4318';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Starts tracing for `serviceName`. Must run before `pg` and the servers are imported (callers
 * import the rest dynamically afterwards). `OTEL_SDK_DISABLED=true` turns it off;
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json` switches from protobuf to JSON.
 */
export function startTelemetry(serviceName: string, options: { readonly redactPhi?: boolean } = {}): Telemetry {
  if (process.env.OTEL_SDK_DISABLED === 'true') return { shutdown: async () => undefined };
  const url = tracesUrl();
  const exporter = process.env.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json' ? new JsonTraceExporter({ url }) : new ProtoTraceExporter({ url });
  const sdk = new NodeSDK({
    serviceName,
    // 500 ms batches so a drill sees spans while the fault is still on.
    spanProcessors: [redacting(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500, maxExportBatchSize: 512, maxQueueSize: 8192 }), options.redactPhi === true)],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => (req.url ?? '').startsWith('/health') }),
      new UndiciInstrumentation(),
      // Background polling (outbox, health) would flood the trace store; only traced work gets pg spans.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // The instrumentations patch through require hooks, which ESM imports bypass. Loading the
  // modules once through require patches their shared exports, which the ESM imports then see.
  const require = createRequire(import.meta.url);
  require('http');
  require('pg');
  return { shutdown: () => sdk.shutdown() };
}

function redacting(processor: BatchSpanProcessor, redactPhi: boolean): BatchSpanProcessor | RedactingSpanProcessor {
  return redactPhi ? new RedactingSpanProcessor(processor) : processor;
}
