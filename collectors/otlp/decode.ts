/** @module collectors/otlp: one export request body (protobuf or JSON, already decompressed) → records. */
import { Limiter } from './limits.js';
import { OtlpShapeError } from './normalize-common.js';
import { normalizeLogs } from './normalize-logs.js';
import { normalizeMetrics } from './normalize-metrics.js';
import { normalizeTraces } from './normalize-traces.js';
import { otlpTypes } from './proto-root.js';
import { checkWire, WireError } from './wire-check.js';
import type { LogRecordData, MetricPointData, Normalized, OtlpEncoding, OtlpSignal, SpanRecord } from './types.js';

/** The body cannot be decoded as the request message: the receiver answers 400. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

export type DecodedExport =
  | { readonly signal: 'traces'; readonly result: Normalized<SpanRecord> }
  | { readonly signal: 'logs'; readonly result: Normalized<LogRecordData> }
  | { readonly signal: 'metrics'; readonly result: Normalized<MetricPointData> };

/**
 * Decodes and normalises one request. Throws OtlpDecodeError for bodies that are not the signal's
 * Export*ServiceRequest (bad protobuf, bad JSON, wrong outer shape).
 */
export function decodeExport(signal: OtlpSignal, encoding: OtlpEncoding, body: Uint8Array, limiter: Limiter = new Limiter()): DecodedExport {
  const message = encoding === 'protobuf' ? decodeProtobuf(signal, body) : decodeJson(body);
  try {
    if (signal === 'traces') return { signal, result: normalizeTraces(message, limiter) };
    if (signal === 'logs') return { signal, result: normalizeLogs(message, limiter) };
    return { signal, result: normalizeMetrics(message, limiter) };
  } catch (err) {
    if (err instanceof OtlpShapeError) throw new OtlpDecodeError(err.message);
    throw err;
  }
}

function decodeProtobuf(signal: OtlpSignal, body: Uint8Array): unknown {
  const types = otlpTypes();
  const type = signal === 'traces' ? types.traceRequest : signal === 'logs' ? types.logsRequest : types.metricsRequest;
  try {
    checkWire(type, body);
    return type.decode(body);
  } catch (err) {
    if (err instanceof WireError) throw new OtlpDecodeError(err.message);
    // protobufjs throws RangeError/Error for truncated or invalid wire data; deep nesting can overflow the stack.
    throw new OtlpDecodeError(`invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(body));
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
