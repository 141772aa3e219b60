/**
 * @module collectors/otlp: one decoded export request into the sink — the step both transports (OTLP/HTTP and
 * OTLP/gRPC) share, so they decode, limit, store and count alike.
 */
import { decodeExport } from './decode.js';
import { addLimitCounts, Limiter, noLimitCounts, type LimitCounts, type RecordLimits } from './limits.js';
import type { LogRecordData, MetricPointData, OtlpEncoding, OtlpSignal, SpanRecord } from './types.js';

/** Where accepted records go (the span store implements it). */
export interface OtlpSink {
  addSpans(spans: readonly SpanRecord[]): void;
  addLogs(logs: readonly LogRecordData[]): void;
  addMetrics(points: readonly MetricPointData[]): void;
}

/** The sink refused the data (e.g. the spill disk is full): retryable, not the sender's fault. */
export class OtlpSinkError extends Error {
  override readonly name = 'OtlpSinkError';
}

/** Running totals of one receiver. */
export interface IngestCounts {
  readonly accepted: Record<OtlpSignal, number>;
  readonly rejected: Record<OtlpSignal, number>;
  readonly limited: LimitCounts;
}

export const noIngestCounts = (): IngestCounts => ({
  accepted: { traces: 0, logs: 0, metrics: 0 }, rejected: { traces: 0, logs: 0, metrics: 0 }, limited: noLimitCounts(),
});

/** What one request came to: records rejected and why (the partial-success fields). */
export interface IngestOutcome {
  readonly rejected: number;
  readonly message: string;
}

/**
 * Decodes `body` (already decompressed), stores what is valid and adds to `counts`. Throws OtlpDecodeError for a
 * body that is not the signal's Export*ServiceRequest, OtlpSinkError when the sink cannot take the records; in both
 * cases nothing is counted.
 */
export function ingestExport(
  signal: OtlpSignal, encoding: OtlpEncoding, body: Uint8Array, sink: OtlpSink, counts: IngestCounts, limits?: RecordLimits,
): IngestOutcome {
  const limiter = new Limiter(limits);
  const decoded = decodeExport(signal, encoding, body, limiter);
  try {
    if (decoded.signal === 'traces') sink.addSpans(decoded.result.records);
    else if (decoded.signal === 'logs') sink.addLogs(decoded.result.records);
    else sink.addMetrics(decoded.result.records);
  } catch (err) {
    throw new OtlpSinkError(`cannot store the data: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const { records, rejected, reasons } = decoded.result;
  counts.accepted[signal] += records.length;
  counts.rejected[signal] += rejected;
  addLimitCounts(counts.limited, limiter.counts);
  return { rejected, message: reasons.join('; ') };
}
