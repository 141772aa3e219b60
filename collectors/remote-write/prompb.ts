/**
 * @module collectors/remote-write: Prometheus remote-write 1.0 messages (prompb `types.proto`, `remote.proto`):
 * WriteRequest → TimeSeries → Label, Sample, Histogram (native, integer counts) → BucketSpan.
 */
import { ProtoWriter } from './proto-writer.js';

export interface Label {
  readonly name: string;
  readonly value: string;
}

/** A native histogram with integer counts (prompb Histogram: count_int, zero_count_int, positive spans and deltas). */
export interface NativeHistogram {
  readonly count: number;
  readonly sum: number;
  /** Bucket boundaries are powers of 2^(2^-schema); 3 gives the factor 1.09 k6 asks for (1.1). */
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly positiveSpans: readonly { readonly offset: number; readonly length: number }[];
  /** Each bucket's count minus the previous bucket's (the first: minus 0). */
  readonly positiveDeltas: readonly number[];
  readonly timestampMs: number;
}

export interface TimeSeries {
  /** Sorted by name, `__name__` included (the remote-write spec requires sorted labels). */
  readonly labels: readonly Label[];
  /** `stale: true` sends Prometheus' stale marker instead of the value (the series ended). */
  readonly samples?: readonly { readonly value: number; readonly timestampMs: number; readonly stale?: boolean }[];
  readonly histograms?: readonly NativeHistogram[];
}

/** One writer per nesting level, reused for every message of that level (no allocation per label or sample). */
const level = [new ProtoWriter(), new ProtoWriter(), new ProtoWriter()] as const;

/** The protobuf bytes of a WriteRequest (before snappy). */
export function encodeWriteRequest(series: readonly TimeSeries[]): Uint8Array {
  const req = new ProtoWriter();
  for (const ts of series) req.message(1, encodeTimeSeries(ts));
  return req.bytes();
}

function encodeTimeSeries(ts: TimeSeries): ProtoWriter {
  const w = level[0].reset();
  const inner = level[1];
  for (const l of ts.labels) w.message(1, inner.reset().string(1, l.name).string(2, l.value));
  for (const s of ts.samples ?? []) {
    inner.reset();
    if (s.stale) inner.staleMarker(1);
    else inner.double(1, s.value, true);
    w.message(2, inner.int64(2, s.timestampMs));
  }
  for (const h of ts.histograms ?? []) w.message(4, encodeHistogram(h));
  return w;
}

function encodeHistogram(h: NativeHistogram): ProtoWriter {
  const w = level[1].reset();
  const span = level[2];
  w.uint(1, h.count).double(3, h.sum).sint(4, h.schema).double(5, h.zeroThreshold).uint(6, h.zeroCount);
  for (const s of h.positiveSpans) w.message(11, span.reset().sint(1, s.offset).uint(2, s.length));
  w.packedSint(12, h.positiveDeltas);
  return w.int64(15, h.timestampMs);
}
