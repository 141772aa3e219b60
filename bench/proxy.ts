/**
 * @module bench: the embedded chaos proxy vs a direct connection, same run, no toxics: added round-trip latency
 * (p50/p99, goal ≤ 100 µs p50, Toxiproxy's README figure), bulk throughput and HTTP keep-alive request ratios
 * (goal ≥ 0.8). The chaos server runs as `codeblue chaos serve` in its own process, as in a manual game day.
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { connectTo, roundTrip } from '../chaos/testing/net.js';

/** autocannon ships no types; this is the one call used. */
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<{ requests: { average: number } }>;
const BIN = fileURLToPath(new URL('../bin/codeblue.js', import.meta.url));
const BULK_BYTES = 256 * 1024 * 1024;

const listen = async (server: Server | ReturnType<typeof createHttpServer>): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function rtts(port: number, n: number): Promise<number[]> {
  const socket = await connectTo(port);
  for (let i = 0; i < 200; i++) await roundTrip(socket, 64); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await roundTrip(socket, 64));
  socket.destroy();
  return out.sort((a, b) => a - b);
}

async function bulkMBps(port: number): Promise<number> {
  const socket = await connectTo(port);
  const start = performance.now();
  let got = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => (got += d.length));
    socket.on('close', () => resolve());
  });
  return got / 1e6 / ((performance.now() - start) / 1000);
}

async function httpRps(port: number): Promise<number> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 16, duration: 3, pipelining: 1 });
  return result.requests.average;
}

/** The floor any user-space TCP proxy pays: a bare `socket.pipe` relay, as a second reference. */
async function barePipeProxy(upstreamPort: number): Promise<{ port: number; close: () => void }> {
  const server = createServer((client) => {
    const upstream = connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
    client.setNoDelay(true);
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { port: await listen(server), close: () => server.close() };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function startServe(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, '--json', 'chaos', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', () => reject(new Error('chaos serve exited')));
  });
  return { url, stop: () => child.kill('SIGINT') };
}

export async function run(): Promise<void> {
  const echo = createServer((s) => s.pipe(s));
  const chunk = Buffer.alloc(1 << 20, 9);
  const source = createServer((s) => {
    let left = BULK_BYTES / chunk.length;
    const pump = (): void => {
      while (left > 0 && s.write(chunk)) left--;
      if (left > 0) s.once('drain', () => (left--, pump()));
      else s.end();
    };
    pump();
  });
  const http = createHttpServer((_req, res) => res.end('{"resourceType":"Patient","id":"1"}'));
  const [echoPort, sourcePort, httpPort] = [await listen(echo), await listen(source), await listen(http)];
  const serve = await startServe();
  try {
    const client = new Toxiproxy(serve.url);
    const port = async (name: string, upstream: number): Promise<number> => {
      const p = await client.createProxy({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream}` });
      return Number(p.listen.split(':').at(-1));
    };
    const [pEcho, pSource, pHttp] = [await port('echo', echoPort), await port('bulk', sourcePort), await port('http', httpPort)];

    const direct = await rtts(echoPort, 3000);
    const proxied = await rtts(pEcho, 3000);
    const addedP50 = (percentile(proxied, 50) - percentile(direct, 50)) * 1000;
    const addedP99 = (percentile(proxied, 99) - percentile(direct, 99)) * 1000;
    console.log(`round trip 64 B   direct p50 ${(percentile(direct, 50) * 1000).toFixed(0)} µs p99 ${(percentile(direct, 99) * 1000).toFixed(0)} µs · proxied p50 ${(percentile(proxied, 50) * 1000).toFixed(0)} µs p99 ${(percentile(proxied, 99) * 1000).toFixed(0)} µs`);
    console.log(`added latency     p50 ${addedP50.toFixed(0)} µs (goal ≤ 100 µs, two hops) · p99 ${addedP99.toFixed(0)} µs`);

    const bulkPipe = await barePipeProxy(sourcePort);
    const bulk = { direct: [] as number[], proxy: [] as number[], pipe: [] as number[] };
    for (let round = 0; round < 2; round++) {
      bulk.direct.push(await bulkMBps(sourcePort));
      bulk.proxy.push(await bulkMBps(pSource));
      bulk.pipe.push(await bulkMBps(bulkPipe.port));
    }
    bulkPipe.close();
    const [bd, bp, bb] = [mean(bulk.direct), mean(bulk.proxy), mean(bulk.pipe)];
    console.log(`bulk 256 MB       direct ${bd.toFixed(0)} MB/s · proxied ${bp.toFixed(0)} MB/s · ratio ${(bp / bd).toFixed(2)} (goal ≥ 0.8)`);
    console.log(`                  bare socket.pipe relay ${bb.toFixed(0)} MB/s (ratio ${(bb / bd).toFixed(2)}) · codeblue proxy / bare relay ${(bp / bb).toFixed(2)}`);

    // Interleaved rounds, because the shared machine's speed drifts between runs.
    const pipe = await barePipeProxy(httpPort);
    const rps = { direct: [] as number[], proxy: [] as number[], pipe: [] as number[] };
    for (let round = 0; round < 2; round++) {
      rps.direct.push(await httpRps(httpPort));
      rps.proxy.push(await httpRps(pHttp));
      rps.pipe.push(await httpRps(pipe.port));
    }
    pipe.close();
    const [d, p, b] = [mean(rps.direct), mean(rps.proxy), mean(rps.pipe)];
    console.log(`http keep-alive   direct ${d.toFixed(0)} req/s · proxied ${p.toFixed(0)} req/s · ratio ${(p / d).toFixed(2)} (goal ≥ 0.8)`);
    console.log(`                  bare socket.pipe relay ${b.toFixed(0)} req/s (ratio ${(b / d).toFixed(2)}) · codeblue proxy / bare relay ${(p / b).toFixed(2)}`);
  } finally {
    serve.stop();
    echo.close();
    source.close();
    http.close();
  }
}
