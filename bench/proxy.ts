/**
 * @module bench: `codeblue chaos serve` as a TCP proxy with no toxics, measured against a direct connection in the
 * same run, with real tools on both ends (wrk as client, nginx as upstream; a Node client or upstream would measure
 * itself). Prints issue #14's four figures against their goals: req/s at 32 connections, bulk 100 MB throughput,
 * p50 added latency at 32 connections, and the server's RSS with 10 idle proxies. The goals are judged on `chaos
 * serve` as installed (its native relay when it was built); the same server with CODEBLUE_NATIVE_RELAY=off (the JS
 * relay) and a bare `socket.pipe` relay, the floor any JS relay pays, are printed beside them.
 */
import { connect, createServer, type AddressInfo } from 'node:net';
import { startNginx } from './proxy/nginx.js';
import { startServe } from './proxy/serve.js';
import { runWrk, type WrkResult } from './proxy/wrk.js';
import { median } from '../chaos/testing/net.js';

const BULK_BYTES = 100 * 1024 * 1024;
const ROUNDS = 5;
const SECONDS = 3;
const CONNECTIONS = 32;
const GOALS = { rpsRatio: 0.4, bulkRatio: 0.55, addedP50Micros: 300, rssMb: 60 } as const;

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

const PATHS = ['direct', 'proxy', 'js', 'pipe'] as const;
type Path = (typeof PATHS)[number];

/** Interleaved rounds (the shared machine's speed drifts): each round runs every path once. */
async function rounds(ports: Record<Path, number>, path: string, connections: number): Promise<Record<Path, WrkResult[]>> {
  const out: Record<Path, WrkResult[]> = { direct: [], proxy: [], js: [], pipe: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of PATHS) out[p].push(await runWrk(`http://127.0.0.1:${ports[p]}${path}`, connections, SECONDS));
  }
  return out;
}

const ratios = (a: readonly WrkResult[], b: readonly WrkResult[], pick: (r: WrkResult) => number): number[] => a.map((r, i) => pick(r) / pick(b[i] as WrkResult));

export async function run(): Promise<void> {
  const nginx = await startNginx(BULK_BYTES);
  const serve = await startServe();
  const jsServe = await startServe({ CODEBLUE_NATIVE_RELAY: 'off' });
  const pipe = await barePipeRelay(nginx.port);
  try {
    const jsPort = await jsServe.proxy('bench-js', nginx.port);
    const proxyPorts: number[] = [];
    for (let i = 0; i < 10; i++) proxyPorts.push(await serve.proxy(`bench-${i}`, nginx.port));
    await new Promise((r) => setTimeout(r, 1000));
    const rssIdle = serve.rssMb();
    const ports = { direct: nginx.port, proxy: proxyPorts[0] as number, js: jsPort, pipe: pipe.port };

    const small = await rounds(ports, '/', CONNECTIONS);
    const bulk = await rounds(ports, '/bulk', 1);
    const rssAfter = serve.rssMb();

    const rps = (r: WrkResult): number => r.requestsPerSec;
    const mbps = (r: WrkResult): number => r.mbPerSec;
    const p50 = (r: WrkResult): number => r.p50Micros;
    const ratioOf = (runs: Record<Path, WrkResult[]>, p: Path, pick: (r: WrkResult) => number): number => median(ratios(runs[p], runs.direct, pick));
    const addedOf = (p: Path): number => median(small[p].map((r, i) => r.p50Micros - (small.direct[i] as WrkResult).p50Micros));
    const rpsRatio = ratioOf(small, 'proxy', rps);
    const added = addedOf('proxy');
    const bulkRatio = ratioOf(bulk, 'proxy', mbps);
    const f0 = (x: number): string => x.toFixed(0);
    const f2 = (x: number): string => x.toFixed(2);
    const relay = serve.relay === 'native' ? 'native relay' : 'JS relay: the native relay is not built';
    if (jsServe.relay !== 'js') throw new Error('chaos serve with CODEBLUE_NATIVE_RELAY=off did not use the JS relay');
    const others = (show: (p: Path) => string): string => `JS relay ${show('js')} · bare pipe relay ${show('pipe')}`;

    console.log(`conditions        wrk -t1, nginx 1 worker, ${ROUNDS} interleaved rounds of ${SECONDS} s per path, medians; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`proxied           codeblue chaos serve (${relay}); beside it the same server with CODEBLUE_NATIVE_RELAY=off and a bare socket.pipe relay`);
    console.log(`req/s c${CONNECTIONS}         direct ${f0(median(small.direct.map(rps)))} · proxied ${f0(median(small.proxy.map(rps)))} · ratio ${f2(rpsRatio)} ${verdict(rpsRatio >= GOALS.rpsRatio)} (goal ≥ ${GOALS.rpsRatio}) · ${others((p) => f2(ratioOf(small, p, rps)))}`);
    console.log(`p50 added c${CONNECTIONS}     direct ${f0(median(small.direct.map(p50)))} µs · proxied ${f0(median(small.proxy.map(p50)))} µs · added +${f0(added)} µs ${verdict(added <= GOALS.addedP50Micros)} (goal ≤ +${GOALS.addedP50Micros} µs) · ${others((p) => `+${f0(addedOf(p))} µs`)}`);
    console.log(`bulk 100 MB       direct ${f0(median(bulk.direct.map(mbps)))} MB/s · proxied ${f0(median(bulk.proxy.map(mbps)))} MB/s · ratio ${f2(bulkRatio)} ${verdict(bulkRatio >= GOALS.bulkRatio)} (goal ≥ ${GOALS.bulkRatio}) · ${others((p) => f2(ratioOf(bulk, p, mbps)))}`);
    console.log(`RSS serve         10 idle proxies ${rssIdle.toFixed(1)} MB ${verdict(rssIdle <= GOALS.rssMb)} (goal ≤ ${GOALS.rssMb} MB) · after the load ${rssAfter.toFixed(1)} MB`);
  } finally {
    pipe.close();
    await jsServe.stop();
    await serve.stop();
    await nginx.stop();
  }
}
