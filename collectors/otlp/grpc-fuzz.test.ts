/**
 * @module collectors/otlp: 300 fuzzed OTLP/gRPC messages (truncated and random protobuf, deep nesting, gzip bombs,
 * oversize) — OK or INVALID_ARGUMENT exactly as the reference decoder decides, RESOURCE_EXHAUSTED past the size
 * limit, never INTERNAL; the receiver keeps serving and counts exactly what it stored.
 */
import fc from 'fast-check';
import { Client, credentials, status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpanStore, type SpanStore } from '../store/span-store.js';
import { startOtlpGrpcReceiver, type OtlpGrpcReceiver } from './grpc-receiver.js';
import { otlpTypes } from './proto-root.js';
import { hexId, traceRequestProtobuf } from './test-payloads.js';
import { checkWire } from './wire-check.js';

const LIMIT = 256 * 1024;
const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const raw = (b: Buffer): Buffer => b;
let receiver: OtlpGrpcReceiver;
let store: SpanStore;
let plain: Client;
let gzip: Client;

beforeAll(async () => {
  store = createSpanStore();
  receiver = await startOtlpGrpcReceiver({ port: 0, store, maxBodyBytes: LIMIT });
  plain = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure());
  gzip = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure(), { 'grpc.default_compression_algorithm': 2 });
});
afterAll(async () => {
  plain.close();
  gzip.close();
  await receiver.close();
});

interface Case {
  readonly kind: string;
  readonly body: Buffer;
  readonly gzip: boolean;
  readonly expected: readonly GrpcCode[];
}

const validPb = traceRequestProtobuf('svc', Array.from({ length: 20 }, (_, i) => ({ traceId: hexId(i, 16), spanId: hexId(i, 8), attributes: { n: i } })));

/** The reference decoder (after the strict wire check) decides: OK if it decodes, else INVALID_ARGUMENT. */
function expectation(body: Uint8Array): GrpcCode[] {
  try {
    checkWire(otlpTypes().traceRequest, body);
    otlpTypes().traceRequest.decode(body);
    return [GrpcCode.OK];
  } catch {
    return [GrpcCode.INVALID_ARGUMENT];
  }
}

const truncated = fc.tuple(fc.integer({ min: 0, max: validPb.length - 1 }), fc.boolean()).map(([n, zipped]): Case => {
  const body = Buffer.from(validPb.subarray(0, n));
  return { kind: 'truncated protobuf', body, gzip: zipped, expected: expectation(body) };
});
const random = fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((bytes): Case => {
  const body = Buffer.from(bytes);
  return { kind: 'random bytes', body, gzip: false, expected: expectation(body) };
});
const deep = fc.integer({ min: 1, max: 3000 }).map((depth): Case => {
  // Field 1 (length-delimited) nested `depth` times: resource_spans → resource → attributes → key, then string bytes.
  let body = Buffer.alloc(0);
  for (let i = 0; i < depth; i++) body = Buffer.concat([Buffer.from([0x0a]), varint(body.length), body]);
  return { kind: 'deep nesting', body, gzip: false, expected: body.length > LIMIT ? [GrpcCode.RESOURCE_EXHAUSTED] : expectation(body) };
});
const bomb = fc.integer({ min: LIMIT + 1, max: 8 * 1024 * 1024 }).map((size): Case => ({
  kind: 'gzip bomb', body: Buffer.alloc(size), gzip: true, expected: [GrpcCode.RESOURCE_EXHAUSTED],
}));
const oversize = fc.integer({ min: LIMIT + 1, max: LIMIT * 4 }).map((size): Case => ({
  kind: 'oversize', body: Buffer.alloc(size, 0x20), gzip: false, expected: [GrpcCode.RESOURCE_EXHAUSTED],
}));

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function send(c: Client, body: Buffer): Promise<GrpcCode> {
  return new Promise((resolve) => c.makeUnaryRequest(TRACE_EXPORT, raw, raw, body, (err: ServiceError | null) => resolve(err ? err.code : GrpcCode.OK)));
}

describe('OTLP/gRPC receiver under fuzzed messages', () => {
  it('answers each with the right status code, keeps serving and counts exactly what it stored', async () => {
    const seen = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fc.oneof(truncated, random, deep, bomb, oversize), async (c) => {
      seen.set(c.kind, (seen.get(c.kind) ?? 0) + 1);
      const code = await send(c.gzip ? gzip : plain, c.body);
      expect(c.expected, `${c.kind}: got ${GrpcCode[code]}`).toContain(code);
    }), { numRuns: 300, seed: 20261201 });
    expect(seen.size).toBe(5);
    expect(await send(plain, Buffer.from(validPb))).toBe(GrpcCode.OK);
    expect(receiver.stats().byCode.INTERNAL).toBeUndefined();
    expect(receiver.stats().accepted.traces).toBe(store.stats().spans.total);
  }, 120_000);
});
