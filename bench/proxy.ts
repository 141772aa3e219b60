/**
 * @module bench: `codeblue chaos serve` as a TCP proxy with no toxics, measured against a direct connection in the
 * same run, with real tools on both ends (wrk as client, nginx as upstream; a Node client or upstream would measure
 * itself). Prints issue #14's four figures against their goals: req/s at 32 connections, bulk 100 MB throughput,
 * p50 added latency at 32 connections, and the server's RSS with 10 idle proxies. A bare `socket.pipe` relay is
 * printed beside them as the floor any Node proxy pays.
 */
import { connect, createServer, type AddressInfo } from 'node:net';
import { startNginx } from './proxy/nginx.js';
import { startServe } from './proxy/serve.js';
import { runWrk, type WrkResult } from './proxy/wrk.js';

const BULK_BYTES = 100 * 1024 * 1024;
const ROUNDS = 3;
const SECONDS = 3;
const CONNECTIONS = 32;
const GOALS = { rpsRatio: 0.4, bulkRatio: 0.55, addedP50Micros: 300, rssMb: 60 } as const;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const verdict = (ok: boolean): string => (ok ? 'ok ' : 'MISS');

/** The floor any user-space Node TCP proxy pays: a bare `socket.pipe` relay in this process. */
async function barePipeRelay(upstreamPort: number): Promise<{ port: number; close: () => void }> {
  const server = createServer({ noDelay: true }, (client) => {
    const upstream = connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

type Path = 'direct' | 'proxy' | 'pipe';

/** Interleaved rounds (the shared machine's speed drifts): each round runs every path once. */
async function rounds(ports: Record<Path, number>, path: string, connections: number): Promise<Record<Path, WrkResult[]>> {
  const out: Record<Path, WrkResult[]> = { direct: [], proxy: [], pipe: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of ['direct', 'proxy', 'pipe'] as const) out[p].push(await runWrk(`http://127.0.0.1:${ports[p]}${path}`, connections, SECONDS));
  }
  return out;
}

const ratios = (a: readonly WrkResult[], b: readonly WrkResult[], pick: (r: WrkResult) => number): number[] => a.map((r, i) => pick(r) / pick(b[i] as WrkResult));

export async function run(): Promise<void> {
  const nginx = await startNginx(BULK_BYTES);
  const serve = await startServe();
  const pipe = await barePipeRelay(nginx.port);
  try {
    const proxyPorts: number[] = [];
    for (let i = 0; i < 10; i++) proxyPorts.push(await serve.proxy(`bench-${i}`, nginx.port));
    await new Promise((r) => setTimeout(r, 1000));
    const rssIdle = serve.rssMb();
    const ports = { direct: nginx.port, proxy: proxyPorts[0] as number, pipe: pipe.port };

    const small = await rounds(ports, '/', CONNECTIONS);
    const bulk = await rounds(ports, '/bulk', 1);
    const rssAfter = serve.rssMb();

    const rps = (r: WrkResult): number => r.requestsPerSec;
    const mbps = (r: WrkResult): number => r.mbPerSec;
    const rpsRatio = median(ratios(small.proxy, small.direct, rps));
    const pipeRpsRatio = median(ratios(small.pipe, small.direct, rps));
    const added = median(small.proxy.map((r, i) => r.p50Micros - (small.direct[i] as WrkResult).p50Micros));
    const pipeAdded = median(small.pipe.map((r, i) => r.p50Micros - (small.direct[i] as WrkResult).p50Micros));
    const bulkRatio = median(ratios(bulk.proxy, bulk.direct, mbps));
    const pipeBulkRatio = median(ratios(bulk.pipe, bulk.direct, mbps));
    const f0 = (x: number): string => x.toFixed(0);

    console.log(`conditions        wrk -t1, nginx 1 worker, ${ROUNDS} interleaved rounds of ${SECONDS} s per path, medians; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`req/s c${CONNECTIONS}         direct ${f0(median(small.direct.map(rps)))} · proxied ${f0(median(small.proxy.map(rps)))} · ratio ${rpsRatio.toFixed(2)} ${verdict(rpsRatio >= GOALS.rpsRatio)} (goal ≥ ${GOALS.rpsRatio}) · bare pipe relay ${pipeRpsRatio.toFixed(2)}`);
    console.log(`p50 added c${CONNECTIONS}     direct ${f0(median(small.direct.map((r) => r.p50Micros)))} µs · proxied ${f0(median(small.proxy.map((r) => r.p50Micros)))} µs · added +${f0(added)} µs ${verdict(added <= GOALS.addedP50Micros)} (goal ≤ +${GOALS.addedP50Micros} µs) · bare pipe relay +${f0(pipeAdded)} µs`);
    console.log(`bulk 100 MB       direct ${f0(median(bulk.direct.map(mbps)))} MB/s · proxied ${f0(median(bulk.proxy.map(mbps)))} MB/s · ratio ${bulkRatio.toFixed(2)} ${verdict(bulkRatio >= GOALS.bulkRatio)} (goal ≥ ${GOALS.bulkRatio}) · bare pipe relay ${pipeBulkRatio.toFixed(2)}`);
    console.log(`RSS serve         10 idle proxies ${rssIdle.toFixed(1)} MB ${verdict(rssIdle <= GOALS.rssMb)} (goal ≤ ${GOALS.rssMb} MB) · after the load ${rssAfter.toFixed(1)} MB`);
  } finally {
    pipe.close();
    await serve.stop();
    await nginx.stop();
  }
}
