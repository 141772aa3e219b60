/**
 * @module bench: the embedded load engine vs autocannon vs wrk against one plain HTTP target on 127.0.0.1
 * (same connections, same duration), percentile accuracy against known injected delays, and MetricStore
 * memory after 10 M recorded requests. Goals: ≥ 1.0× autocannon, ≥ 0.7× wrk, p50/p95/p99 within 1 %, RSS < 150 MB.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { runLoad, scenarioSchema } from '../scenarios/index.js';
import { startTarget } from './load/start-target.js';

const CONNECTIONS = 50;
const SECONDS = 3;
/** Rounds per tool, interleaved (engine, autocannon, wrk, engine, …); the best round of each counts. */
const ROUNDS = 2;
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

interface AutocannonResult { requests: { average: number; total: number }; duration: number; errors: number; non2xx: number }
type Autocannon = (opts: { url: string; connections: number; duration: number; pipelining?: number }) => Promise<AutocannonResult>;

export async function run(): Promise<void> {
  const started = performance.now();
  await memory();
  const target = await startTarget();
  try {
    const url = `http://127.0.0.1:${target.port}`;
    let engine = 0;
    let ac = 0;
    let raw = 0;
    let wrk: number | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      engine = Math.max(engine, await engineRps(url));
      raw = Math.max(raw, await rawUndiciRps(url));
      ac = Math.max(ac, await autocannonRps(url));
      const w = wrkRps(url);
      if (w !== undefined) wrk = Math.max(wrk ?? 0, w);
    }
    const line = (name: string, rps: number | undefined): string => `  ${name.padEnd(22)} ${rps === undefined ? 'skipped' : `${Math.round(rps).toLocaleString('en-US')} req/s`}`;
    console.log(`\nthroughput: GET / on 127.0.0.1, ${CONNECTIONS} connections, ${SECONDS}s each, best of ${ROUNDS} interleaved rounds`);
    console.log(line('codeblue engine', engine));
    console.log(line('raw undici Pool loop', raw) + '   (floor of the HTTP client the engine uses, no engine work)');
    console.log(line('autocannon 8 (1 proc)', ac));
    console.log(line('wrk (1 thread)', wrk));
    console.log(`  ratio vs autocannon   ${(engine / ac).toFixed(2)}×  (goal ≥ 1.0×)`);
    console.log(wrk === undefined ? '  ratio vs wrk          skipped: wrk is not installed (apt-get install wrk)' : `  ratio vs wrk          ${(engine / wrk).toFixed(2)}×  (goal ≥ 0.7×)`);
    await accuracy(url);
  } finally {
    target.child.kill('SIGTERM');
  }
  console.log(`\nload bench took ${((performance.now() - started) / 1000).toFixed(1)}s`);
}

async function engineRps(url: string): Promise<number> {
  const result = await runLoad({
    baseUrl: url,
    scenarios: { bench: scenarioSchema.parse({ executor: 'constant-vus', vus: CONNECTIONS, duration: `${SECONDS}s`, gracefulStop: '1s', steps: [{ name: 'root', request: { path: '/' } }] }) },
    safety: { maxDuration: 60_000, maxRequests: 100_000_000, maxVUs: CONNECTIONS },
  });
  const reqs = result.store.query({ metric: 'http_reqs' }).count;
  const failed = result.store.query({ metric: 'http_req_failed' }).passes;
  if (failed > 0) console.log(`  (engine: ${failed} failed requests)`);
  return reqs / (result.durationMs / 1000);
}

/** The same load as a bare undici dispatch loop: what the HTTP client alone reaches on this machine. */
async function rawUndiciRps(url: string): Promise<number> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1 });
  let n = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  const handler = (done: () => void) => ({ onRequestStart: () => undefined, onResponseStart: () => undefined, onResponseData: () => undefined, onResponseEnd: () => (n++, done()), onResponseError: () => done() });
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) await new Promise<void>((resolve) => pool.dispatch({ path: '/', method: 'GET' }, handler(resolve)));
  }));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return n / seconds;
}

async function autocannonRps(url: string): Promise<number> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const r = await autocannon({ url: `${url}/`, connections: CONNECTIONS, duration: SECONDS });
  return r.requests.total / r.duration;
}

function wrkRps(url: string): number | undefined {
  const found = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (found.error) return undefined;
  const r = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, `${url}/`], { encoding: 'utf8' });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

/** Client percentiles vs the exact percentiles of the delays the server really held (nearest rank). */
async function accuracy(url: string): Promise<void> {
  const result = await runLoad({
    baseUrl: url,
    scenarios: { delays: scenarioSchema.parse({ executor: 'shared-iterations', vus: 200, iterations: 1000, steps: [{ name: 'delay', request: { path: '/delay' } }] }) },
    safety: { maxDuration: 60_000, maxRequests: 10_000, maxVUs: 200 },
  });
  const held = ((await (await fetch(`${url}/stats`)).json()) as number[]).sort((a, b) => a - b);
  const agg = result.store.query({ metric: 'http_req_duration' });
  console.log(`\npercentile accuracy: ${held.length} requests with known injected delays (300–1000 ms)`);
  for (const p of [50, 95, 99]) {
    const exact = held[Math.min(held.length - 1, Math.ceil((p / 100) * held.length) - 1)] as number;
    const got = agg.percentile(p);
    const err = Math.abs(got - exact) / exact;
    console.log(`  p(${p})  codeblue ${got.toFixed(2)} ms  injected ${exact.toFixed(2)} ms  error ${(err * 100).toFixed(3)} %  ${err <= 0.01 ? '✓' : '✗'} (goal ≤ 1 %)`);
  }
}

async function memory(): Promise<void> {
  // A young generation of 3 × 8 MB (V8 default 3 × 16 MB) keeps garbage from inflating RSS; retained heap is printed too.
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=8', '--import', 'tsx', here('./load/memory.ts'), '10000000'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`memory bench failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim()) as { records: number; rssBeforeMb: number; rssAfterMb: number; peakMb: number; seconds: number; checkpoints: { records: number; rssMb: number }[]; simulatedSeconds: number };
  console.log(`memory: ${m.records.toLocaleString('en-US')} request samples recorded into a MetricStore (${m.simulatedSeconds} simulated seconds) in ${m.seconds.toFixed(1)}s`);
  console.log(`  RSS ${m.rssBeforeMb.toFixed(0)} MB before → ${m.rssAfterMb.toFixed(0)} MB after (peak ${m.peakMb.toFixed(0)} MB) ${m.peakMb < 150 ? '✓' : '✗'} (goal < 150 MB)`);
  console.log(`  RSS by records: ${m.checkpoints.map((c) => `${c.records / 1e6}M→${c.rssMb}MB`).join('  ')}`);
  const heap = JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as { heapUsedMb?: number; series?: number };
  if (heap.heapUsedMb !== undefined) console.log(`  retained JS heap after GC ${heap.heapUsedMb.toFixed(1)} MB for ${heap.series} series × ${m.simulatedSeconds} seconds (node --max-semi-space-size=8)`);
}
