/** @module collectors/otlp: the receiver's HTTP contract — status codes, encodings, gzip, partial success, backpressure, forwarding. */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createSpanStore, type SpanStore } from '../store/span-store.js';
import { otlpTypes } from './proto-root.js';
import { startOtlpReceiver, type OtlpReceiver } from './receiver.js';
import { hexId, traceRequestJson, traceRequestProtobuf } from './test-payloads.js';
import { waitUntil } from '../../test/support/poll.js';

const started: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.close()));
});

async function start(opts: { maxBodyBytes?: number; maxInFlight?: number; forwardUrl?: string } = {}): Promise<{ r: OtlpReceiver; store: SpanStore }> {
  const store = createSpanStore();
  const r = await startOtlpReceiver({ port: 0, store, ...opts });
  started.push(r);
  return { r, store };
}

/** Polls `check` (at most 20 s) — waits for the server side, asserts nothing about time. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  await waitUntil(check, 'the receiver reached the expected state');
}

const PB = 'application/x-protobuf';
const JSON_T = 'application/json';
const post = (url: string, body: string | Uint8Array, headers: Record<string, string>, method = 'POST') =>
  fetch(url, { method, body: method === 'GET' ? undefined : body, headers });

describe('OTLP receiver', () => {
  it('accepts protobuf and JSON spans and answers in the request encoding', async () => {
    const { r, store } = await start();
    const spans = [{ traceId: hexId(1, 16), spanId: hexId(1, 8) }];
    const pb = await post(`${r.url}/v1/traces`, traceRequestProtobuf('api', spans), { 'content-type': PB });
    expect(pb.status).toBe(200);
    expect(pb.headers.get('content-type')).toBe(PB);
    expect(otlpTypes().traceResponse.decode(new Uint8Array(await pb.arrayBuffer())).toJSON()).toEqual({});
    const js = await post(`${r.url}/v1/traces`, JSON.stringify(traceRequestJson('api', [{ traceId: hexId(2, 16).toUpperCase(), spanId: hexId(2, 8) }])), { 'content-type': `${JSON_T}; charset=utf-8` });
    expect(js.status).toBe(200);
    expect(await js.json()).toEqual({});
    expect(store.spansOf(hexId(2, 16))).toHaveLength(1); // upper-case JSON hex is stored lower-case
    expect(store.stats().spans.total).toBe(2);
  });

  it('accepts an empty request', async () => {
    const { r } = await start();
    expect((await post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB })).status).toBe(200);
    expect((await post(`${r.url}/v1/logs`, '{}', { 'content-type': JSON_T })).status).toBe(200);
  });

  it('tells when it last received a request, so a caller can wait until senders go quiet', async () => {
    const { r } = await start();
    expect(r.lastReceivedAt()).toBeUndefined();
    const before = Date.now();
    expect((await post(`${r.url}/v1/traces`, '{}', { 'content-type': JSON_T })).status).toBe(200);
    const first = r.lastReceivedAt() ?? Number.NaN;
    expect(first).toBeGreaterThanOrEqual(before);
    expect((await post(`${r.url}/v1/nope`, '{}', { 'content-type': JSON_T })).status).toBe(404);
    expect(r.lastReceivedAt()).toBeGreaterThanOrEqual(first);
  });

  it('reports invalid spans through partial success and keeps the valid ones', async () => {
    const { r, store } = await start();
    const body = traceRequestJson('api', [
      { traceId: hexId(1, 16), spanId: hexId(1, 8) },
      { traceId: 'abc', spanId: hexId(2, 8) },
      { traceId: '0'.repeat(32), spanId: hexId(3, 8) },
    ]);
    const res = await post(`${r.url}/v1/traces`, JSON.stringify(body), { 'content-type': JSON_T });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(json.partialSuccess.rejectedSpans).toBe('2');
    expect(json.partialSuccess.errorMessage).toMatch(/traceId/);
    expect(store.stats().spans.total).toBe(1);
    const pb = Buffer.from(otlpTypes().traceRequest.encode(otlpTypes().traceRequest.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(15, 1), spanId: Buffer.alloc(8, 1) }] }] }],
    })).finish());
    const res2 = await post(`${r.url}/v1/traces`, pb, { 'content-type': PB });
    const decoded = otlpTypes().traceResponse.decode(new Uint8Array(await res2.arrayBuffer())).toJSON();
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: 'traceId must be 16 bytes, got 15' } });
  });

  it('reports rejected log records, and metric warnings with zero rejected points', async () => {
    const { r, store } = await start();
    const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [
      { body: { stringValue: 'ok' }, traceId: hexId(1, 16), spanId: hexId(1, 8) },
      { body: { stringValue: 'bad id' }, traceId: 'xyz' },
    ] }] }] };
    const res = await post(`${r.url}/v1/logs`, JSON.stringify(logs), { 'content-type': JSON_T });
    expect(await res.json()).toEqual({ partialSuccess: { rejectedLogRecords: '1', errorMessage: 'traceId must be 32 hex chars' } });
    expect(store.stats().logs.total).toBe(1);
    const metrics = { resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: 'empty' }, { name: 'up', gauge: { dataPoints: [{ asInt: '1', timeUnixNano: '1700000000000000000' }] } },
    ] }] }] };
    const res2 = await post(`${r.url}/v1/metrics`, JSON.stringify(metrics), { 'content-type': JSON_T });
    expect(await res2.json()).toEqual({ partialSuccess: { rejectedDataPoints: '0', errorMessage: 'metric "empty" has no data' } });
    expect(store.stats().metricPoints.total).toBe(1);
  });

  it('answers 400 with a google.rpc.Status in the request encoding for malformed bodies', async () => {
    const { r } = await start();
    const pb = await post(`${r.url}/v1/traces`, Buffer.from([0x0a, 0xff, 0xff, 0x01]), { 'content-type': PB });
    expect(pb.status).toBe(400);
    const status = otlpTypes().status.decode(new Uint8Array(await pb.arrayBuffer())).toJSON();
    expect(status).toMatchObject({ code: 3, message: expect.stringMatching(/invalid protobuf/) });
    const js = await post(`${r.url}/v1/traces`, '{"resourceSpans": 3}', { 'content-type': JSON_T });
    expect(js.status).toBe(400);
    expect(await js.json()).toEqual({ code: 3, message: 'request.resourceSpans must be a list' });
    expect((await post(`${r.url}/v1/metrics`, '{nope', { 'content-type': JSON_T })).status).toBe(400);
  });

  it('answers 404, 405 and 415 for wrong paths, methods and media types', async () => {
    const { r } = await start();
    expect((await post(`${r.url}/v1/spans`, '{}', { 'content-type': JSON_T })).status).toBe(404);
    const get = await post(`${r.url}/v1/traces`, '', {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post(`${r.url}/v1/traces`, '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(`${r.url}/v1/traces`, '{}', { 'content-type': JSON_T, 'content-encoding': 'br' })).status).toBe(415);
  });

  it('accepts gzip bodies and answers 413 for bodies or gzip bombs over the limit', async () => {
    const { r, store } = await start({ maxBodyBytes: 64 * 1024 });
    const body = traceRequestProtobuf('api', [{ traceId: hexId(9, 16), spanId: hexId(9, 8) }]);
    const ok = await post(`${r.url}/v1/traces`, gzipSync(body), { 'content-type': PB, 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);
    expect(store.spansOf(hexId(9, 16))).toHaveLength(1);
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024)); // ~10 KB compressed, 10 MiB inflated
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect((await post(`${r.url}/v1/traces`, bomb, { 'content-type': PB, 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await post(`${r.url}/v1/traces`, Buffer.alloc(100 * 1024), { 'content-type': PB })).status).toBe(413);
    expect((await post(`${r.url}/v1/traces`, Buffer.from('not gzip'), { 'content-type': PB, 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(`${r.url}/v1/traces`, gzipSync(body), { 'content-type': PB, 'content-encoding': 'gzip' })).status).toBe(200);
  });

  it('answers 429 with Retry-After when too many requests are in flight, then serves again', async () => {
    const { r } = await start({ maxInFlight: 1 });
    const url = new URL(`${r.url}/v1/traces`);
    // A request whose body never finishes holds the only slot.
    const held = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': PB, 'content-length': '100' } });
    held.on('error', () => undefined);
    held.write(Buffer.alloc(10));
    await until(() => r.stats().requests === 1);
    const busy = await post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(otlpTypes().status.decode(new Uint8Array(await busy.arrayBuffer())).toJSON()).toMatchObject({ code: 8 });
    held.destroy();
    await until(async () => (await post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB })).status !== 429);
    expect((await post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB })).status).toBe(200);
  });

  it('answers 429 with Retry-After when the bodies held at once exceed the byte budget', async () => {
    const store = createSpanStore();
    const r = await startOtlpReceiver({ port: 0, store, maxBodyBytes: 1024, maxBufferedBytes: 1024 });
    started.push(r);
    const url = new URL(`${r.url}/v1/traces`);
    const held = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': PB, 'content-length': '1000' } });
    held.on('error', () => undefined);
    held.write(Buffer.alloc(900));
    await until(() => r.stats().requests === 1);
    // Retry until the held request's 900 bytes have arrived and taken the budget.
    let busy = await post(`${r.url}/v1/traces`, Buffer.alloc(200), { 'content-type': PB });
    for (let i = 0; i < 50 && busy.status !== 429; i++) busy = await post(`${r.url}/v1/traces`, Buffer.alloc(200), { 'content-type': PB });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('1');
    held.destroy();
    await until(async () => (await post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB })).status === 200);
    expect((await post(`${r.url}/v1/traces`, traceRequestProtobuf('api', [{ traceId: hexId(3, 16), spanId: hexId(3, 8) }]), { 'content-type': PB })).status).toBe(200);
  });

  it('answers 503 with Retry-After when the store cannot take the data', async () => {
    const failing = { addSpans: () => { throw new Error('ENOSPC: no space left on device'); }, addLogs: () => undefined, addMetrics: () => undefined };
    const r = await startOtlpReceiver({ port: 0, store: failing });
    started.push(r);
    const res = await post(`${r.url}/v1/traces`, JSON.stringify(traceRequestJson('api', [{ traceId: hexId(1, 16), spanId: hexId(1, 8) }])), { 'content-type': JSON_T });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ code: 14, message: 'cannot store the data: ENOSPC: no space left on device' });
  });

  it('forwards every accepted request, byte for byte, to an upstream receiver', async () => {
    const upstream = await start();
    const { r } = await start({ forwardUrl: upstream.r.url });
    const spans = [{ traceId: hexId(5, 16), spanId: hexId(5, 8), attributes: { a: 'b' } }];
    await post(`${r.url}/v1/traces`, gzipSync(traceRequestProtobuf('api', spans)), { 'content-type': PB, 'content-encoding': 'gzip' });
    await post(`${r.url}/v1/logs`, JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hi' } }] }] }] }), { 'content-type': JSON_T });
    await post(`${r.url}/v1/traces`, 'garbage', { 'content-type': JSON_T }); // rejected: not forwarded
    await r.close();
    expect(r.stats().forward).toEqual({ forwarded: 2, failed: 0, dropped: 0, refused: 0 });
    expect(upstream.store.spansOf(hexId(5, 16))[0]?.attributes).toEqual({ a: 'b' });
    expect(upstream.store.stats().logs.total).toBe(1);
    expect(upstream.r.stats().byStatus).toEqual({ 200: 2 });
  });

  it('closes when its abort signal fires', async () => {
    const controller = new AbortController();
    const r = await startOtlpReceiver({ port: 0, store: createSpanStore(), signal: controller.signal });
    expect((await post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB })).status).toBe(200);
    controller.abort();
    const refused = async () => post(`${r.url}/v1/traces`, new Uint8Array(0), { 'content-type': PB }).then(() => false, () => true);
    await until(refused);
    expect(await refused()).toBe(true);
    await r.close(); // the same close the signal started
  });

  it('refuses a port already in use with CB_PORT_IN_USE', async () => {
    const { r } = await start();
    await expect(startOtlpReceiver({ port: r.port, store: createSpanStore() })).rejects.toMatchObject({ code: 'CB_PORT_IN_USE' });
  });
});
