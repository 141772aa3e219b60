/** @module collectors/otlp: the OTLP/gRPC receiver's contract — status codes, partial success, limits, RetryInfo, shutdown. */
import { createServer } from 'node:net';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import {
  Client, credentials, Metadata, status as GrpcCode, type ClientWritableStream, type ServiceError,
} from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/support/poll.js';
import { createSpanStore, type SpanStore } from '../store/span-store.js';
import { STATUS_DETAILS_KEY } from './grpc-status.js';
import { startOtlpGrpcReceiver, type GrpcReceiverOptions, type OtlpGrpcReceiver } from './grpc-receiver.js';
import { otlpTypes } from './proto-root.js';
import { hexId, traceRequestProtobuf, type PayloadSpan } from './test-payloads.js';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS_EXPORT = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const raw = (b: Buffer): Buffer => b;

const receivers: OtlpGrpcReceiver[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function start(opts: Partial<GrpcReceiverOptions> = {}): Promise<{ r: OtlpGrpcReceiver; store: SpanStore }> {
  const store = createSpanStore();
  const r = await startOtlpGrpcReceiver({ port: 0, store, ...opts });
  receivers.push(r);
  return { r, store };
}

/** A plain grpc-js client sending bytes as they are (gzip when asked), one per test so calls never share a connection by accident. */
function clientFor(r: OtlpGrpcReceiver, gzip = false): Client {
  const c = new Client(`127.0.0.1:${r.port}`, credentials.createInsecure(), gzip ? { 'grpc.default_compression_algorithm': 2 } : {});
  clients.push(c);
  return c;
}

interface Answer { readonly code: number; readonly details: string; readonly metadata?: Metadata; readonly body?: Buffer }

function call(c: Client, path: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    c.makeUnaryRequest(path, raw, raw, body, (err: ServiceError | null, res?: Buffer) => {
      if (err) resolve({ code: err.code, details: err.details, metadata: err.metadata });
      else resolve({ code: GrpcCode.OK, details: '', ...(res ? { body: res } : {}) });
    });
  });
}

/** A call whose headers are sent at once and whose message waits for `finish` (a slow sender, held in flight). */
function heldCall(c: Client, path: string): { finish(body: Buffer): void; cancel(): void; answer: Promise<Answer> } {
  let stream: ClientWritableStream<Buffer> | undefined;
  const answer = new Promise<Answer>((resolve) => {
    stream = c.makeClientStreamRequest(path, raw, raw, (err: ServiceError | null, res?: Buffer) => {
      if (err) resolve({ code: err.code, details: err.details, metadata: err.metadata });
      else resolve({ code: GrpcCode.OK, details: '', ...(res ? { body: res } : {}) });
    });
  });
  const s = stream as ClientWritableStream<Buffer>;
  return { finish: (body) => s.end(body), cancel: () => s.cancel(), answer };
}

/** RetryInfo.retry_delay seconds from the google.rpc.Status trailer; undefined when absent. */
function retryDelaySeconds(a: Answer): number | undefined {
  const bin = a.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(bin instanceof Buffer)) return undefined;
  const t = otlpTypes();
  const status = t.status.decode(bin) as unknown as { code: number; details: { type_url: string; value: Uint8Array }[] };
  const detail = status.details.find((d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo');
  if (!detail) return undefined;
  const info = t.retryInfo.decode(detail.value) as unknown as { retryDelay: { seconds: number | { toNumber(): number } } };
  const s = info.retryDelay.seconds;
  return typeof s === 'number' ? s : s.toNumber();
}

const spans = (n: number, from = 0): PayloadSpan[] => Array.from({ length: n }, (_, i) => ({ traceId: hexId(from + i, 16), spanId: hexId(from + i, 8) }));
const traceBody = (n: number, from = 0): Buffer => traceRequestProtobuf('fhir-api', spans(n, from));

describe('OTLP/gRPC receiver', () => {
  it('answers an empty ExportTraceServiceResponse for a full success and stores the spans', async () => {
    const { r, store } = await start();
    const a = await call(clientFor(r), TRACE_EXPORT, traceBody(5));
    expect(a.code).toBe(GrpcCode.OK);
    expect(otlpTypes().traceResponse.toObject(otlpTypes().traceResponse.decode(a.body as Buffer))).toEqual({});
    expect(store.stats().spans.total).toBe(5);
    expect(r.stats()).toMatchObject({ calls: 1, byCode: { OK: 1 }, accepted: { traces: 5 } });
  });

  it('reports invalid spans through partial success and keeps the valid ones', async () => {
    const { r, store } = await start();
    const bad = traceRequestProtobuf('fhir-api', [...spans(2), { traceId: 'ab'.repeat(15), spanId: hexId(9, 8) }]);
    const a = await call(clientFor(r), TRACE_EXPORT, bad);
    expect(a.code).toBe(GrpcCode.OK);
    const response = otlpTypes().traceResponse.toObject(otlpTypes().traceResponse.decode(a.body as Buffer), { longs: String });
    expect(response).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: 'traceId must be 16 bytes, got 15' } });
    expect(store.stats().spans.total).toBe(2);
    expect(r.stats()).toMatchObject({ accepted: { traces: 2 }, rejected: { traces: 1 } });
  });

  it('answers INVALID_ARGUMENT to malformed messages and loses nothing already recorded', async () => {
    const { r, store } = await start();
    const c = clientFor(r);
    expect((await call(c, TRACE_EXPORT, traceBody(3))).code).toBe(GrpcCode.OK);
    const valid = traceBody(4, 100);
    for (const junk of [Buffer.from([0xff, 0xff, 0xff, 0xff]), valid.subarray(0, valid.length - 7), Buffer.from('{"resourceSpans":[]}')]) {
      const a = await call(c, TRACE_EXPORT, junk);
      expect(a.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(a.details).toMatch(/\S/);
      expect(retryDelaySeconds(a)).toBeUndefined(); // not retryable
    }
    expect((await call(c, LOGS_EXPORT, Buffer.from([0x0a, 0x05, 0x01]))).code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(store.stats().spans.total).toBe(3);
    expect(store.spansOf(hexId(0, 16))).toHaveLength(1);
    expect(r.stats()).toMatchObject({ accepted: { traces: 3, logs: 0 }, byCode: { OK: 1, INVALID_ARGUMENT: 4 } });
    expect((await call(c, TRACE_EXPORT, valid)).code).toBe(GrpcCode.OK); // the connection still serves
    expect(store.stats().spans.total).toBe(7);
  });

  it('accepts gzip and answers RESOURCE_EXHAUSTED, without RetryInfo, past the size limit before or after decompression', async () => {
    const { r, store } = await start({ maxBodyBytes: 4096 });
    const small = traceBody(3);
    expect((await call(clientFor(r, true), TRACE_EXPORT, small)).code).toBe(GrpcCode.OK);
    const big = traceBody(200, 10);
    expect(big.length).toBeGreaterThan(4096);
    const plain = await call(clientFor(r), TRACE_EXPORT, big);
    expect(plain.code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(retryDelaySeconds(plain)).toBeUndefined();
    expect(gzipSync(big).length).toBeLessThan(4096); // small on the wire, too big once inflated
    const zipped = await call(clientFor(r, true), TRACE_EXPORT, big);
    expect(zipped.code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(zipped.details).toMatch(/decompresses to a size larger than 4096/);
    expect(store.stats().spans.total).toBe(3);
  });

  it('answers RESOURCE_EXHAUSTED with RetryInfo past maxInFlight, and serves again once a call ends', async () => {
    const { r, store } = await start({ maxInFlight: 1, retryAfterSeconds: 2 });
    const slow = heldCall(clientFor(r), TRACE_EXPORT);
    await waitUntil(() => r.stats().calls === 1, 'the slow call is in flight');
    const refused = await call(clientFor(r), TRACE_EXPORT, traceBody(2));
    expect(refused.code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(retryDelaySeconds(refused)).toBe(2);
    slow.finish(traceBody(1, 50));
    expect((await slow.answer).code).toBe(GrpcCode.OK);
    expect((await call(clientFor(r), TRACE_EXPORT, traceBody(2))).code).toBe(GrpcCode.OK);
    expect(store.stats().spans.total).toBe(3);
    expect(r.stats().byCode).toEqual({ OK: 2, RESOURCE_EXHAUSTED: 1 });
  });

  it('caps calls in flight by maxBufferedBytes / maxBodyBytes', async () => {
    const { r } = await start({ maxBodyBytes: 1024, maxBufferedBytes: 2048 });
    const held = [heldCall(clientFor(r), TRACE_EXPORT), heldCall(clientFor(r), TRACE_EXPORT)];
    await waitUntil(() => r.stats().calls === 2, 'two calls are in flight');
    const third = await call(clientFor(r), TRACE_EXPORT, traceBody(1));
    expect(third.code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(retryDelaySeconds(third)).toBe(1);
    for (const h of held) h.cancel();
    // However grpc-js ends a cancelled unary call (it may still answer it), both end and free their places.
    const ended = (): number => Object.values(r.stats().byCode).reduce((a, b) => a + b, 0);
    await waitUntil(() => ended() === 3, 'the cancelled calls have ended');
    expect((await call(clientFor(r), TRACE_EXPORT, traceBody(1))).code).toBe(GrpcCode.OK);
  });

  it('answers UNAVAILABLE with RetryInfo when the store cannot take the data', async () => {
    const store = createSpanStore();
    const failing = { ...store, addSpans: () => { throw new Error('disk full'); }, addLogs: () => undefined, addMetrics: () => undefined };
    const r = await startOtlpGrpcReceiver({ port: 0, store: failing });
    receivers.push(r);
    const a = await call(clientFor(r), TRACE_EXPORT, traceBody(2));
    expect(a.code).toBe(GrpcCode.UNAVAILABLE);
    expect(a.details).toMatch(/cannot store the data: disk full/);
    expect(retryDelaySeconds(a)).toBe(1);
    expect(r.stats().accepted.traces).toBe(0);
  });

  it('shuts down cleanly: new calls get UNAVAILABLE, the call in flight completes, then the port is free', async () => {
    const { r, store } = await start();
    const inFlight = heldCall(clientFor(r), TRACE_EXPORT);
    await waitUntil(() => r.stats().calls === 1, 'a call is in flight');
    const closed = r.close();
    const late = await call(clientFor(r), TRACE_EXPORT, traceBody(2, 70));
    expect(late.code).toBe(GrpcCode.UNAVAILABLE);
    expect(retryDelaySeconds(late)).toBe(1);
    inFlight.finish(traceBody(4));
    expect((await inFlight.answer).code).toBe(GrpcCode.OK);
    await closed;
    expect(store.stats().spans.total).toBe(4);
    const probe = createServer().listen(r.port, '127.0.0.1');
    await once(probe, 'listening'); // the port was released
    probe.close();
    const after = await call(clientFor(r), TRACE_EXPORT, traceBody(1, 90));
    expect(after.code).toBe(GrpcCode.UNAVAILABLE); // nothing listens any more
  });

  it('stops on abort, and refuses a taken port with CB_PORT_IN_USE naming the setting', async () => {
    const controller = new AbortController();
    const { r } = await start({ signal: controller.signal });
    await expect(startOtlpGrpcReceiver({ port: r.port, store: createSpanStore(), listenSetting: 'collectors.otlpGrpcListen' }))
      .rejects.toMatchObject({ code: 'CB_PORT_IN_USE', hint: expect.stringContaining('collectors.otlpGrpcListen') });
    controller.abort();
    await r.close(); // the same promise the abort started
    const probe = createServer().listen(r.port, '127.0.0.1');
    await once(probe, 'listening');
    probe.close();
  });
});
