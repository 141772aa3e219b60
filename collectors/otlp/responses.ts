/** @module collectors/otlp: OTLP/HTTP response bodies — Export*ServiceResponse and google.rpc.Status. */
import { otlpTypes } from './proto-root.js';
import type { OtlpEncoding, OtlpSignal } from './types.js';

/** The partial_success field names per signal (collector/*_service.proto). */
const REJECTED_FIELD: Readonly<Record<OtlpSignal, string>> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

/** gRPC status codes carried in google.rpc.Status.code (google/rpc/code.proto). */
export const GRPC_CODE = { invalidArgument: 3, notFound: 5, resourceExhausted: 8, unimplemented: 12, unavailable: 14 } as const;

/**
 * The 200 body: an empty response on full success, `partial_success` with the rejected count and
 * message otherwise (specification.md "Partial Success").
 */
export function exportResponse(signal: OtlpSignal, encoding: OtlpEncoding, rejected: number, message: string): Buffer {
  const partial = rejected > 0 || message !== '' ? { [REJECTED_FIELD[signal]]: rejected, errorMessage: message } : undefined;
  if (encoding === 'json') {
    // int64 is a decimal string in OTLP/JSON.
    const body = partial ? { partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage: message } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const t = otlpTypes();
  const type = signal === 'traces' ? t.traceResponse : signal === 'logs' ? t.logsResponse : t.metricsResponse;
  return Buffer.from(type.encode(type.fromObject(partial ? { partialSuccess: partial } : {})).finish());
}

/** A 4xx/5xx body: google.rpc.Status in the request's encoding. */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(otlpTypes().status.encode({ code, message }).finish());
}

export const CONTENT_TYPE: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};
