/**
 * @module bench: OTLP ingest — spans/s through codeblue's decode + normalise + store (protobuf and JSON) beside
 * the reference decoders alone (protobufjs `decode`, `JSON.parse`) on the same payloads, the same figure over
 * HTTP and over gRPC (ratio gRPC/HTTP, measured in the same rounds), and heap bytes per stored span (× 1M).
 * Goal: ≥ 50k spans/s for protobuf.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { decodeExport } from '../collectors/otlp/decode.js';
import { startOtlpGrpcReceiver } from '../collectors/otlp/grpc-receiver.js';
import { otlpTypes } from '../collectors/otlp/proto-root.js';
import { startOtlpReceiver } from '../collectors/otlp/receiver.js';
import { hexId, traceRequestJson, traceRequestProtobuf, type PayloadSpan } from '../collectors/otlp/test-payloads.js';
import { createSpanStore } from '../collectors/store/span-store.js';
import { median } from '../chaos/testing/net.js';

const BATCH = 512; // BatchSpanProcessor's default maxExportBatchSize
const MEASURE_MS = 1000;
/** Each figure is the median of this many interleaved rounds (the machine is shared and noisy). */
const ROUNDS = 3;

/** A realistic batch: HTTP server spans with semconv attributes, a few DB children with errors. */
function batch(seed: number): PayloadSpan[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = seed * BATCH + i;
    return {
      traceId: hexId(Math.floor(n / 4), 16), spanId: hexId(n, 8), parentSpanId: n % 4 === 0 ? undefined : hexId(n - (n % 4), 8),
      name: n % 4 === 0 ? 'GET /fhir/Patient/{id}' : 'pg.query SELECT patients', kind: n % 4 === 0 ? 2 : 3,
      startMs: 1_700_000_000_000 + n, durationMs: 5 + (n % 97), statusCode: n % 50 === 0 ? 2 : 0,
      attributes: {
        'http.request.method': 'GET', 'http.route': '/fhir/Patient/{id}', 'http.response.status_code': 200,
        'url.path': `/fhir/Patient/${n}`, 'server.address': '127.0.0.1', 'server.port': 8080,
        'db.system': 'postgresql', 'net.peer.name': 'localhost',
      },
    };
  });
}

/** Calls `fn` repeatedly for ~MEASURE_MS and returns calls per second. */
function rate(fn: (i: number) => void): number {
  for (let i = 0; i < 5; i++) fn(i); // warm-up
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS) fn(calls++);
  return (calls * 1000) / (performance.now() - start);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const payloads = Array.from({ length: 8 }, (_, s) => batch(s));
  const pb = payloads.map((p) => traceRequestProtobuf('fhir-api', p));
  const json = payloads.map((p) => Buffer.from(JSON.stringify(traceRequestJson('fhir-api', p))));
  const type = otlpTypes().traceRequest;

  const store = createSpanStore({ maxSpansInMemory: 100_000 });
  const ingest = (bodies: Buffer[], enc: 'protobuf' | 'json') => (i: number): void => {
    const d = decodeExport('traces', enc, bodies[i % bodies.length] as Buffer);
    if (d.signal === 'traces') store.addSpans(d.result.records);
  };
  const rounds = { refPb: [] as number[], cbPb: [] as number[], refJson: [] as number[], cbJson: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    rounds.refPb.push(rate((i) => type.decode(pb[i % pb.length] as Buffer)) * BATCH);
    rounds.cbPb.push(rate(ingest(pb, 'protobuf')) * BATCH);
    rounds.refJson.push(rate((i) => JSON.parse((json[i % json.length] as Buffer).toString('utf8'))) * BATCH);
    rounds.cbJson.push(rate(ingest(json, 'json')) * BATCH);
  }
  const [refPb, cbPb, refJson, cbJson] = [rounds.refPb, rounds.cbPb, rounds.refJson, rounds.cbJson].map(median) as [number, number, number, number];

  console.log(`otlp ingest (batches of ${BATCH} spans, one core, median of ${ROUNDS} rounds)`);
  console.log(`  protobuf  codeblue ${fmt(cbPb)} spans/s  | protobufjs decode only ${fmt(refPb)} spans/s  | ratio ${(cbPb / refPb).toFixed(2)}  | goal ≥ 50,000: ${cbPb >= 50_000 ? 'met' : 'MISSED'}`);
  console.log(`  json      codeblue ${fmt(cbJson)} spans/s  | JSON.parse only ${fmt(refJson)} spans/s  | ratio ${(cbJson / refJson).toFixed(2)}`);
  const wire = { http: [] as number[], grpc: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    wire.http.push(await overHttp(pb));
    wire.grpc.push(await overGrpc(pb));
  }
  const [http, grpc] = [median(wire.http), median(wire.grpc)];
  console.log(`  http/protobuf end to end (receiver + in-process client, same core): ${fmt(http)} spans/s`);
  console.log(`  grpc end to end (receiver + in-process grpc-js client, same core):  ${fmt(grpc)} spans/s  | ratio vs http/protobuf ${(grpc / http).toFixed(2)}`);
  const perSpan = heapPerSpan(pb);
  console.log(`  memory    ${(perSpan * 1e6 / 2 ** 20).toFixed(0)} MiB per million spans stored in memory (${perSpan.toFixed(0)} B/span, heap delta over 200k spans)`);
}

async function overHttp(bodies: Buffer[]): Promise<number> {
  const store = createSpanStore({ maxSpansInMemory: 100_000 });
  const receiver = await startOtlpReceiver({ port: 0, store });
  const url = `${receiver.url}/v1/traces`;
  const send = async (i: number): Promise<void> => {
    const res = await fetch(url, { method: 'POST', body: bodies[i % bodies.length], headers: { 'content-type': 'application/x-protobuf' } });
    await res.arrayBuffer();
  };
  for (let i = 0; i < 10; i++) await send(i);
  let sent = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (performance.now() - start < MEASURE_MS) await send(sent++);
  }));
  const perSec = (sent * BATCH * 1000) / (performance.now() - start);
  await receiver.close();
  return perSec;
}

/** The same batches through the OTLP/gRPC receiver, 4 unary calls at a time on one channel, as an exporter sends them. */
async function overGrpc(bodies: Buffer[]): Promise<number> {
  const store = createSpanStore({ maxSpansInMemory: 100_000 });
  const receiver = await startOtlpGrpcReceiver({ port: 0, store });
  const client = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure());
  const raw = (b: Buffer): Buffer => b;
  const send = (i: number): Promise<void> => new Promise((resolve, reject) => {
    client.makeUnaryRequest('/opentelemetry.proto.collector.trace.v1.TraceService/Export', raw, raw, bodies[i % bodies.length] as Buffer,
      (err: ServiceError | null) => (err ? reject(err) : resolve()));
  });
  for (let i = 0; i < 10; i++) await send(i);
  let sent = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (performance.now() - start < MEASURE_MS) await send(sent++);
  }));
  const perSec = (sent * BATCH * 1000) / (performance.now() - start);
  client.close();
  await receiver.close();
  return perSec;
}

/** Heap bytes per span held by a store of 200k spans (explicit GC around the measurement). */
function heapPerSpan(bodies: Buffer[]): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = createSpanStore({ maxSpansInMemory: 1_000_000 });
  for (let i = 0; i * BATCH < 200_000; i++) {
    const d = decodeExport('traces', 'protobuf', bodies[i % bodies.length] as Buffer);
    if (d.signal === 'traces') store.addSpans(d.result.records);
  }
  gc();
  return (process.memoryUsage().heapUsed - before) / store.stats().spans.total;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
