/**
 * @module bench/vu-memory: one side of the per-VU memory benchmark, in a process of its own (`--expose-gc`):
 * `engine` runs codeblue's load engine with N constant VUs, `undici` holds N bare undici Clients; each VU or client
 * keeps one `GET /hold` in flight (the target answers after 2 s) and sends the next as soon as it is answered.
 * Prints one JSON line: the process's RSS and JS heap + ArrayBuffers before the load (after a warm-up of the same
 * code with one VU, and a full GC) and the medians of the readings while every VU was in flight.
 */
import { Client, type Dispatcher } from 'undici';
import { runLoad, scenarioSchema } from '../../scenarios/index.js';
import { median } from '../../chaos/testing/net.js';

const LOAD_S = 8;
/** Readings from here to the end of the load: every VU has sent its first request and holds one since. */
const PLATEAU_FROM_S = 3;
const READ_EVERY_MS = 250;

interface Reading { readonly rss: number; readonly heap: number }

const exposed = (globalThis as { gc?: () => void }).gc;
if (exposed === undefined) throw new Error('run with node --expose-gc');
const gc: () => void = exposed;

const reading = (): Reading => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers };
};

async function settled(): Promise<Reading> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 300));
  gc();
  return reading();
}

async function engine(url: string, vus: number, path: string, seconds: number): Promise<number> {
  const result = await runLoad({
    baseUrl: url,
    scenarios: { hold: scenarioSchema.parse({ executor: 'constant-vus', vus, duration: `${seconds}s`, gracefulStop: '5s', steps: [{ name: 'hold', request: { path } }] }) },
    safety: { maxDuration: 60_000, maxRequests: 1_000_000, maxVUs: vus },
  });
  return result.store.query({ metric: 'http_reqs' }).count;
}

/** The reference: the HTTP client alone, one undici Client per VU as the engine keeps, a minimal dispatch handler. */
async function bareUndici(url: string, clients: number, path: string, seconds: number): Promise<number> {
  const all = Array.from({ length: clients }, () => new Client(url));
  const end = performance.now() + seconds * 1000;
  let answered = 0;
  const handler = (done: () => void): Dispatcher.DispatchHandler => ({
    onRequestStart: () => undefined, onResponseStart: () => undefined, onResponseData: () => undefined,
    onResponseEnd: () => (answered++, done()), onResponseError: () => done(),
  });
  await Promise.all(all.map(async (client) => {
    while (performance.now() < end) await new Promise<void>((resolve) => client.dispatch({ path, method: 'GET' }, handler(resolve)));
  }));
  await Promise.all(all.map((c) => c.close()));
  return answered;
}

const [side, url, n] = process.argv.slice(2) as [string, string, string];
const vus = Number(n);
const drive = side === 'engine' ? engine : bareUndici;
await drive(url, 1, '/', 1);
const before = await settled();
const readings: Reading[] = [];
const started = performance.now();
const timer = setInterval(() => {
  const s = (performance.now() - started) / 1000;
  if (s >= PLATEAU_FROM_S && s <= LOAD_S) readings.push(reading());
}, READ_EVERY_MS);
const requests = await drive(url, vus, '/hold', LOAD_S);
clearInterval(timer);
process.stdout.write(`${JSON.stringify({ side, vus, requests, before, inFlight: { rss: median(readings.map((r) => r.rss)), heap: median(readings.map((r) => r.heap)) }, readings: readings.length })}\n`);
