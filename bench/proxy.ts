/**
 * @module bench: the embedded chaos proxy vs a direct connection, same run, no toxics: added round-trip latency
 * (p50/p99, goal ≤ 100 µs p50, Toxiproxy's README figure), bulk throughput and HTTP keep-alive request ratios
 * (goal ≥ 0.8). The chaos server runs as `codeblue chaos serve` in its own process, as in a manual game day.
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
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
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 16, duration: 4, pipelining: 1 });
  return result.requests.average;
}

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

    const bulkDirect = await bulkMBps(sourcePort);
    const bulkProxy = await bulkMBps(pSource);
    console.log(`bulk 256 MB       direct ${bulkDirect.toFixed(0)} MB/s · proxied ${bulkProxy.toFixed(0)} MB/s · ratio ${(bulkProxy / bulkDirect).toFixed(2)} (goal ≥ 0.8)`);

    const rpsDirect = await httpRps(httpPort);
    const rpsProxy = await httpRps(pHttp);
    console.log(`http keep-alive   direct ${rpsDirect.toFixed(0)} req/s · proxied ${rpsProxy.toFixed(0)} req/s · ratio ${(rpsProxy / rpsDirect).toFixed(2)} (goal ≥ 0.8)`);
  } finally {
    serve.stop();
    echo.close();
    source.close();
    http.close();
  }
}
