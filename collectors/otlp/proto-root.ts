/** @module collectors/otlp: loads the vendored OTLP `.proto` definitions into protobufjs message types. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'proto');

const FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'google/rpc/status.proto',
  'google/rpc/error_details.proto',
];

/** The request/response message types of the three OTLP export services, plus `google.rpc.Status` and `RetryInfo`. */
export interface OtlpTypes {
  readonly traceRequest: protobuf.Type;
  readonly traceResponse: protobuf.Type;
  readonly logsRequest: protobuf.Type;
  readonly logsResponse: protobuf.Type;
  readonly metricsRequest: protobuf.Type;
  readonly metricsResponse: protobuf.Type;
  readonly status: protobuf.Type;
  readonly retryInfo: protobuf.Type;
}

let cached: OtlpTypes | undefined;

/** Parses the vendored protos once per process. */
export function otlpTypes(): OtlpTypes {
  if (cached) return cached;
  const root = new protobuf.Root();
  // Imports are written as in upstream ("opentelemetry/proto/…"); resolve them under PROTO_DIR.
  // protobufjs swaps "google/protobuf/*.proto" for its bundled copies on its own.
  root.resolvePath = (_origin, target) => (target.startsWith(PROTO_DIR) ? target : join(PROTO_DIR, target));
  root.loadSync(FILES.map((f) => join(PROTO_DIR, f)), { keepCase: false });
  root.resolveAll();
  const t = (name: string): protobuf.Type => root.lookupType(name);
  cached = {
    traceRequest: t('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    traceResponse: t('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    logsRequest: t('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    logsResponse: t('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    metricsRequest: t('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    metricsResponse: t('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
    status: t('google.rpc.Status'),
    retryInfo: t('google.rpc.RetryInfo'),
  };
  return cached;
}
