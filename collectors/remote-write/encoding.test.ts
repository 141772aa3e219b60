/**
 * @module collectors/remote-write: the wire encodings checked by independent decoders — Snappy against a block
 * decoder written here from the format description, the WriteRequest against protobufjs reading prompb's
 * message definitions — and the native-histogram bucket placement against Prometheus' boundaries.
 */
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { MetricStore, seriesSnapshots } from '../../core/metrics/index.js';
import { bucketIndex, nativeHistogramOf } from './native-histogram.js';
import { encodeWriteRequest } from './prompb.js';
import { toTimeSeries } from './series.js';
import { snappyCompress } from './snappy.js';

/** Snappy block decoder (google/snappy format_description.txt): varint length, then literals and copies. */
function snappyDecode(src: Uint8Array): Uint8Array {
  let i = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const b = src[i++] as number;
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (i < src.length) {
    const tag = src[i++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let k = 0; k < bytes; k++) n += (src[i++] as number) * 2 ** (8 * k);
      }
      n += 1;
      out.set(src.subarray(i, i + n), o);
      i += n;
      o += n;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | (src[i++] as number);
    } else if (kind === 2) {
      len = (tag >>> 2) + 1;
      offset = (src[i] as number) | ((src[i + 1] as number) << 8);
      i += 2;
    } else throw new Error('4-byte offsets are never written');
    if (offset === 0 || offset > o) throw new Error(`bad copy offset ${offset} at ${o}`);
    for (let k = 0; k < len; k++, o++) out[o] = out[o - offset] as number;
  }
  if (o !== length) throw new Error(`decoded ${o} bytes, header said ${length}`);
  return out;
}

/** A deterministic pseudo-random byte source (no Math.random: failures must repeat). */
function bytes(n: number, seed: number, alphabet = 256): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 16) % alphabet;
  }
  return out;
}

describe('snappyCompress', () => {
  const labels = new TextEncoder().encode('__name__k6_http_req_duration_p99 scenario clinicians method GET status 200 '.repeat(3000));
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one byte', new Uint8Array([7])],
    ['random bytes (incompressible)', bytes(70_000, 1)],
    ['repetitive label text across several 64 KiB blocks', labels],
    ['long runs of one byte (overlapping copies)', new Uint8Array(200_000).fill(0x61)],
    ['a small alphabet (many short copies)', bytes(150_000, 9, 4)],
  ];
  it.each(cases)('round-trips %s through an independent block decoder', (_name, input) => {
    expect(Buffer.from(snappyDecode(snappyCompress(input))).equals(Buffer.from(input))).toBe(true);
  });

  it('compresses repetitive label text to a fraction of its size', () => {
    expect(snappyCompress(labels).length).toBeLessThan(labels.length / 10);
  });
});

const PROMPB = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Histogram histograms = 4; }
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3; sint32 schema = 4; double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9; repeated double negative_counts = 10;
  repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
  int32 reset_hint = 14; int64 timestamp = 15;
}`;
const WriteRequest = protobuf.parse(PROMPB).root.lookupType('prometheus.WriteRequest');

describe('encodeWriteRequest', () => {
  it('writes labels, samples (zero values and negative timestamps too) and native histograms that protobufjs reads back', () => {
    const bytesOut = encodeWriteRequest([
      { labels: [{ name: '__name__', value: 'k6_vus' }, { name: 'testid', value: 'run-1' }], samples: [{ value: 0, timestampMs: 1_764_550_000_123 }, { value: -2.5, timestampMs: -1 }] },
      {
        labels: [{ name: '__name__', value: 'k6_http_req_duration_seconds' }],
        histograms: [{ count: 6, sum: 0.75, schema: 3, zeroThreshold: 2 ** -128, zeroCount: 1, positiveSpans: [{ offset: -30, length: 2 }, { offset: 3, length: 1 }], positiveDeltas: [2, -1, 1], timestampMs: 1_764_550_000_500 }],
      },
    ]);
    const decoded = WriteRequest.toObject(WriteRequest.decode(bytesOut), { longs: Number, defaults: true });
    expect(decoded).toMatchObject({
      timeseries: [
        { labels: [{ name: '__name__', value: 'k6_vus' }, { name: 'testid', value: 'run-1' }], samples: [{ value: 0, timestamp: 1_764_550_000_123 }, { value: -2.5, timestamp: -1 }], histograms: [] },
        {
          samples: [],
          histograms: [{ countInt: 6, sum: 0.75, schema: 3, zeroThreshold: 2 ** -128, zeroCountInt: 1, positiveSpans: [{ offset: -30, length: 2 }, { offset: 3, length: 1 }], positiveDeltas: [2, -1, 1], timestamp: 1_764_550_000_500 }],
        },
      ],
    });
  });

  it('writes non-ASCII and long (> 127 bytes) label values as UTF-8 with the right length', () => {
    const labels = [{ name: 'check', value: 'Ärztin sieht ✓' }, { name: 'name', value: 'GET /fhir/Patient?'.padEnd(300, 'x') }, { name: 'z', value: '' }];
    const decoded = WriteRequest.toObject(WriteRequest.decode(encodeWriteRequest([{ labels, samples: [{ value: 1, timestampMs: 1 }] }])), { defaults: true });
    expect(decoded).toMatchObject({ timeseries: [{ labels }] });
  });

  it("writes a stale marker as Prometheus' NaN bit pattern 0x7ff0000000000002", () => {
    const out = Buffer.from(encodeWriteRequest([{ labels: [{ name: '__name__', value: 'k6_vus' }], samples: [{ value: 0, timestampMs: 5, stale: true }] }]));
    expect(out.includes(Buffer.from([0x09, 0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]))).toBe(true);
  });
});

describe('native histogram buckets (schema 3)', () => {
  it('puts a value in (2^((i-1)/8), 2^(i/8)], the upper bound inclusive', () => {
    expect(bucketIndex(1)).toBe(0);
    expect(bucketIndex(2)).toBe(8);
    expect(bucketIndex(0.5)).toBe(-8);
    expect(bucketIndex(1.0001)).toBe(1);
    expect(bucketIndex(2 ** (1 / 8))).toBe(1);
    expect(bucketIndex(2 ** (1 / 8) * 1.000001)).toBe(2);
    expect(bucketIndex(0.1)).toBe(Math.ceil(Math.log2(0.1) * 8));
  });

  it('turns a trend into spans and deltas whose counts add up to the samples, in seconds', () => {
    const store = new MetricStore();
    const values = [1, 1, 1.5, 40, 41, 900, 2500];
    for (const v of values) store.add('http_req_duration', { scenario: 's' }, 100, v);
    const [snap] = seriesSnapshots(store);
    const h = nativeHistogramOf(snap as NonNullable<typeof snap>, (ms) => ms / 1000, 7);
    let running = 0;
    const counts = h.positiveDeltas.map((d) => (running += d));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(h.count).toBe(values.length);
    expect(h.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 1000, 9);
    expect(h.positiveSpans.reduce((a, s) => a + s.length, 0)).toBe(counts.length);
    // The first bucket holds the two 1 ms samples: 0.001 s lies in bucket ceil(log2(0.001) * 8) = -79.
    expect(h.positiveSpans[0]?.offset).toBe(-79);
    expect(counts[0]).toBe(2);
  });
});

describe('k6 series names and labels', () => {
  it("maps tag names Prometheus would refuse to valid label names, sorted, with testid and without empty tags", () => {
    const store = new MetricStore();
    store.add('http_reqs', { 'user-role': 'nurse', '2fa': 'yes', scenario: 's', group: '' }, 100, 1);
    const [ts] = toTimeSeries(seriesSnapshots(store), { trendStats: [], nativeHistograms: false, commonLabels: { testid: 'run-9' } }, 5);
    expect(ts?.labels).toEqual([
      { name: '_2fa', value: 'yes' }, { name: '__name__', value: 'k6_http_reqs_total' }, { name: 'scenario', value: 's' },
      { name: 'testid', value: 'run-9' }, { name: 'user_role', value: 'nurse' },
    ]);
  });
});

