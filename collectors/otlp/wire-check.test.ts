/** @module collectors/otlp: malformed protobuf that protobufjs alone would accept is a 400 with a google.rpc.Status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpanStore } from '../store/span-store.js';
import { otlpTypes } from './proto-root.js';
import { startOtlpReceiver, type OtlpReceiver } from './receiver.js';
import { hexId, traceRequestProtobuf } from './test-payloads.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver({ port: 0, store: createSpanStore() });
});
afterAll(async () => {
  await receiver.close();
});

const valid = traceRequestProtobuf('svc', [{ traceId: hexId(1, 16), spanId: hexId(1, 8) }]);
const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
/** ResourceSpans (field 1) wrapping `inner`. */
const inResourceSpans = (inner: Buffer): Buffer => Buffer.concat([b(0x0a, inner.length), inner]);

async function post(body: Uint8Array): Promise<{ status: number; message: string; code: number }> {
  const res = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status === 200) return { status: 200, message: '', code: 0 };
  const status = otlpTypes().status.toObject(otlpTypes().status.decode(bytes)) as { code?: number; message?: string };
  return { status: res.status, message: status.message ?? '', code: status.code ?? 0 };
}

describe('strict protobuf wire checks', () => {
  // Each row: the body, the reason in the Status message, and whether protobufjs alone decodes it without error
  // (those answered 200 before the wire check).
  const rows: [string, Buffer, RegExp, boolean][] = [
    ['field number 0 at the top', Buffer.concat([b(0x00, 0x01), valid]), /field number 0 at offset 0/, true],
    ['wire type 7 on a known field', b(0x0f, 0x00), /field 1 has wire type 7/, true],
    ['field number 0 inside ResourceSpans', inResourceSpans(b(0x00, 0x00)), /field number 0 at offset 2/, true],
    ['a group on an unknown field (OTLP is proto3)', Buffer.concat([valid, b(0x9b, 0x06, 0x9c, 0x06)]), /field 99 has wire type 3/, true],
    ['a string sent as fixed32 (span name)', inResourceSpans(Buffer.concat([b(0x12, 0x07, 0x12, 0x05), b(0x2d, 1, 2, 3, 4)])), /field 5 \(name\) has wire type 5/, true],
    ['wire type 7 on an unknown field', Buffer.concat([valid, b(0x9f, 0x06)]), /field 99 has wire type 7/, false],
    ['wire type 6 on an unknown field', Buffer.concat([valid, b(0x9e, 0x06)]), /field 99 has wire type 6/, false],
    ['a message field sent as a varint', b(0x08, 0x01), /field 1 \(resourceSpans\) has wire type 0 \(varint\), expected length-delimited/, false],
  ];
  for (const [what, body, reason, lenient] of rows) {
    it(`answers 400 for ${what}`, async () => {
      let decodes = true;
      try {
        otlpTypes().traceRequest.decode(body);
      } catch {
        decodes = false;
      }
      expect(decodes, 'protobufjs alone decodes it').toBe(lenient);
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.code).toBe(3); // INVALID_ARGUMENT
      expect(res.message).toMatch(reason);
    });
  }

  it('still accepts unknown fields with valid wire types, packed and unpacked, and an empty body', async () => {
    expect((await post(Buffer.concat([valid, b(0x98, 0x06, 0x05), b(0x9a, 0x06, 0x02, 0x01, 0x02), b(0x99, 0x06, 0, 0, 0, 0, 0, 0, 0, 0), b(0x9d, 0x06, 0, 0, 0, 0)]))).status).toBe(200);
    expect((await post(Buffer.alloc(0))).status).toBe(200);
    expect((await post(valid)).status).toBe(200);
  });
});
