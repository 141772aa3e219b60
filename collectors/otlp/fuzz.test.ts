/**
 * @module collectors/otlp: 600 fuzzed bodies (truncated/random protobuf, random JSON, wrong media types,
 * huge attributes, deep nesting, gzip bombs, oversize) — right status code each time, the receiver keeps
 * serving, and memory stays bounded.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpanStore, type SpanStore } from '../store/span-store.js';
import { otlpTypes } from './proto-root.js';
import { startOtlpReceiver, type OtlpReceiver } from './receiver.js';
import { hexId, traceRequestJson, traceRequestProtobuf } from './test-payloads.js';
import { checkWire } from './wire-check.js';

const LIMIT = 256 * 1024;
const MEMORY_CAP_SPANS = 2000;
let receiver: OtlpReceiver;
let store: SpanStore;

beforeAll(async () => {
  store = createSpanStore({ maxSpansInMemory: MEMORY_CAP_SPANS });
  receiver = await startOtlpReceiver({ port: 0, store, maxBodyBytes: LIMIT });
});
afterAll(async () => {
  await receiver.close();
});

interface Case {
  readonly kind: string;
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  readonly expected: readonly number[];
}

const PB = { 'content-type': 'application/x-protobuf' };
const JSON_H = { 'content-type': 'application/json' };
const validPb = traceRequestProtobuf('svc', Array.from({ length: 20 }, (_, i) => ({ traceId: hexId(i, 16), spanId: hexId(i, 8), attributes: { k: `v${i}`, n: i } })));

/** The reference decoder (after the strict wire check) decides whether a protobuf body is decodable: 200 if so, else 400. */
const pbExpectation = (body: Uint8Array): number[] => {
  try {
    checkWire(otlpTypes().traceRequest, body);
    otlpTypes().traceRequest.decode(body);
    return [200];
  } catch {
    return [400];
  }
};

const truncatedProtobuf = fc.integer({ min: 0, max: validPb.length - 1 }).map((n): Case => {
  const body = validPb.subarray(0, n);
  return { kind: 'truncated protobuf', body, headers: PB, expected: pbExpectation(body) };
});

const randomProtobuf = fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((body): Case => ({
  kind: 'random bytes as protobuf', body, headers: PB, expected: pbExpectation(body),
}));

const randomJson = fc.oneof(fc.json(), fc.string({ maxLength: 500 })).map((text): Case => {
  let expected = [400];
  try {
    const v: unknown = JSON.parse(text);
    // Only an object whose resourceSpans is absent/null or a list can be a request.
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) expected = [200, 400];
  } catch { /* stays 400 */ }
  return { kind: 'random JSON', body: Buffer.from(text), headers: JSON_H, expected };
});

const wrongMediaType = fc.tuple(fc.constantFrom('text/plain', 'application/grpc', 'application/xml', '', 'application/protobuf', 'multipart/form-data'), fc.uint8Array({ maxLength: 64 }))
  .map(([type, body]): Case => ({ kind: 'wrong media type', body, headers: type ? { 'content-type': type } : {}, expected: [415] }));

const hugeAttribute = fc.integer({ min: 40_000, max: 200_000 }).map((size): Case => ({
  kind: 'huge attribute',
  body: Buffer.from(JSON.stringify(traceRequestJson('svc', [{ traceId: hexId(size, 16), spanId: hexId(size, 8), attributes: { blob: 'x'.repeat(size) } }]))),
  headers: JSON_H,
  expected: [200],
}));

const deepNesting = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean()).map(([depth, asProtobuf]): Case => {
  if (asProtobuf) {
    // AnyValue{array_value(5){values(1): AnyValue{…}}} nested `depth` times, as raw wire bytes.
    let inner: Buffer = Buffer.from([0x0a, 0x01, 0x78]); // string_value "x"
    for (let i = 0; i < Math.min(depth, 2000); i++) {
      const arr = Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
      inner = Buffer.concat([Buffer.from([0x2a]), varint(arr.length), arr]);
    }
    const kv = Buffer.concat([Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varint(inner.length), inner]);
    const span = Buffer.concat([Buffer.from([0x0a, 0x10]), Buffer.alloc(16, 7), Buffer.from([0x12, 0x08]), Buffer.alloc(8, 7), Buffer.from([0x4a]), varint(kv.length), kv]);
    const ss = Buffer.concat([Buffer.from([0x12]), varint(span.length), span]);
    const rs = Buffer.concat([Buffer.from([0x12]), varint(ss.length), ss]);
    const body = Buffer.concat([Buffer.from([0x0a]), varint(rs.length), rs]);
    return { kind: 'deep protobuf nesting', body, headers: PB, expected: body.length > LIMIT ? [413] : [200, 400] };
  }
  let value = '{"stringValue":"x"}';
  for (let i = 0; i < depth; i++) value = `{"kvlistValue":{"values":[{"key":"k","value":${value}}]}}`;
  const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${hexId(depth, 16)}","spanId":"${hexId(depth, 8)}","attributes":[{"key":"deep","value":${value}}]}]}]}]}`;
  return { kind: 'deep JSON nesting', body: Buffer.from(text), headers: JSON_H, expected: text.length > LIMIT ? [413] : [200] };
});

const gzipBomb = fc.integer({ min: LIMIT + 1, max: 16 * 1024 * 1024 }).map((size): Case => ({
  kind: 'gzip bomb', body: gzipSync(Buffer.alloc(size)), headers: { ...PB, 'content-encoding': 'gzip' }, expected: [413],
}));

const badGzip = fc.uint8Array({ minLength: 1, maxLength: 512 }).map((body): Case => ({
  kind: 'not gzip', body, headers: { ...JSON_H, 'content-encoding': 'gzip' }, expected: [400],
}));

const oversize = fc.integer({ min: LIMIT + 1, max: LIMIT * 4 }).map((size): Case => ({
  kind: 'oversize body', body: Buffer.alloc(size, 0x20), headers: JSON_H, expected: [413],
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

describe('receiver under fuzzed bodies', () => {
  it('answers each with the right status code, keeps serving and stays within memory bounds', async () => {
    const seen = new Map<string, number>();
    const heapBefore = process.memoryUsage().heapUsed;
    await fc.assert(fc.asyncProperty(
      fc.oneof(truncatedProtobuf, randomProtobuf, randomJson, wrongMediaType, hugeAttribute, deepNesting, gzipBomb, badGzip, oversize),
      async (c) => {
        seen.set(c.kind, (seen.get(c.kind) ?? 0) + 1);
        const res = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', body: c.body, headers: c.headers });
        await res.arrayBuffer();
        expect(c.expected, `${c.kind}: got ${res.status}`).toContain(res.status);
      },
    ), { numRuns: 600, seed: 20261125 });
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(600);
    expect(seen.size).toBe(10); // every kind was tried (deep nesting comes as JSON and protobuf)
    // Still serving a valid request.
    const ok = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', body: validPb, headers: PB });
    expect(ok.status).toBe(200);
    // Memory: the store honours its cap; the heap did not balloon (bodies are ≤ 256 KiB, values cut at 4096 chars).
    expect(store.stats().spans.inMemory).toBeLessThanOrEqual(MEMORY_CAP_SPANS);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(400 * 1024 * 1024);
    const huge = store.spansOf(hexId(40_000, 16))[0]?.attributes.blob;
    if (typeof huge === 'string') expect(huge.length).toBeLessThanOrEqual(4096);
  }, 120_000);
});
