/**
 * @module bench: the cost of the Prometheus remote-write output on the embedded engine — requests/s of the same
 * load with no output, with trend-stat pushes and with native-histogram pushes every second (4 pushes a run;
 * k6 pushes every 5 s), interleaved rounds, best of each — and the push itself: snapshot + protobuf + Snappy
 * per push, and Snappy's size and speed against zlib deflate level 1 on the same bodies. Goal: ≥ 0.95× no output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { LOOPBACK_GUARD } from '../core/index.js';
import { MetricStore, seriesSnapshots } from '../core/metrics/index.js';
import { startRemoteWrite } from '../collectors/index.js';
import { encodeWriteRequest } from '../collectors/remote-write/prompb.js';
import { remoteWriteOutputSchema } from '../collectors/remote-write/schema.js';
import { toTimeSeries } from '../collectors/remote-write/series.js';
import { snappyCompress } from '../collectors/remote-write/snappy.js';
import { parseTrendStat, DEFAULT_TREND_STATS, type TrendStatSpec } from '../collectors/remote-write/trend-stats.js';
import { runLoad, scenarioSchema } from '../scenarios/index.js';

const VUS = 50;
const SECONDS = 4;
const ROUNDS = 3;
const MODES = ['none', 'stats', 'native'] as const;
/** Ten request names: ten label sets per request metric, as a plan with a few steps has. */
const STEPS = Array.from({ length: 10 }, (_, i) => ({ name: `step ${i}`, request: { path: '/', name: `GET / #${i}` } }));
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

type Mode = 'none' | 'stats' | 'native';

export async function run(): Promise<void> {
  const target = await child('./load/target.ts');
  const sink = await child('./remote-write/sink.ts');
  try {
    const best: Record<Mode, number> = { none: 0, stats: 0, native: 0 };
    // CPU time of this process per request: what the output adds, far less disturbed by other load than req/s.
    const cpu: Record<Mode, number> = { none: Infinity, stats: Infinity, native: Infinity };
    let lastStore = new MetricStore();
    for (let r = 0; r < ROUNDS; r++) {
      // Each round starts with another mode, so warm-up and the machine's other load do not favour one.
      for (const mode of [...MODES.slice(r % 3), ...MODES.slice(0, r % 3)]) {
        const { rps, store, cpuMicrosPerRequest } = await loadWith(mode, `http://127.0.0.1:${target.port}`, `http://127.0.0.1:${sink.port}/api/v1/write`);
        best[mode] = Math.max(best[mode], rps);
        cpu[mode] = Math.min(cpu[mode], cpuMicrosPerRequest);
        lastStore = store;
      }
    }
    const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} req/s`;
    console.log(`\nengine throughput, ${VUS} VUs × ${SECONDS}s on 127.0.0.1, 10 request names, best of ${ROUNDS} rotated rounds`);
    console.log(`  no output                ${fmt(best.none)}  (reference)`);
    console.log(`  remote write, stats      ${fmt(best.stats)}  ${(best.stats / best.none).toFixed(2)}× reference (goal ≥ 0.95×)`);
    console.log(`  remote write, native     ${fmt(best.native)}  ${(best.native / best.none).toFixed(2)}× reference (goal ≥ 0.95×)`);
    console.log(`engine CPU per request (this process, best of ${ROUNDS})`);
    console.log(`  no output                ${cpu.none.toFixed(1)} µs  (reference)`);
    console.log(`  remote write, stats      ${cpu.stats.toFixed(1)} µs  ${(cpu.none / cpu.stats).toFixed(2)}× reference efficiency (goal ≥ 0.95×)`);
    console.log(`  remote write, native     ${cpu.native.toFixed(1)} µs  ${(cpu.none / cpu.native).toFixed(2)}× reference efficiency (goal ≥ 0.95×)`);
    const stats = (await (await fetch(`http://127.0.0.1:${sink.port}/stats`)).json()) as { pushes: number; bytes: number };
    console.log(`  receiver got ${stats.pushes} pushes, ${(stats.bytes / 1024).toFixed(0)} KiB; the store held ${lastStore.list().length} series`);
    pushCost(lastStore);
  } finally {
    target.child.kill('SIGTERM');
    sink.child.kill('SIGTERM');
  }
}

async function loadWith(mode: Mode, url: string, sinkUrl: string): Promise<{ rps: number; store: MetricStore; cpuMicrosPerRequest: number }> {
  const store = new MetricStore();
  const cpuBefore = process.cpuUsage();
  const output = mode === 'none' ? undefined : await startRemoteWrite({
    config: remoteWriteOutputSchema.parse({ type: 'prometheus-rw', url: sinkUrl, pushInterval: '1s', trendAsNativeHistogram: mode === 'native' }),
    store, testId: 'bench', guard: LOOPBACK_GUARD, onError: (m) => console.log(`  push failed: ${m}`),
  });
  const result = await runLoad({
    baseUrl: url, store,
    scenarios: { bench: scenarioSchema.parse({ executor: 'constant-vus', vus: VUS, duration: `${SECONDS}s`, gracefulStop: '1s', steps: STEPS }) },
    safety: { maxDuration: 60_000, maxRequests: 100_000_000, maxVUs: VUS },
  });
  await output?.stop();
  const used = process.cpuUsage(cpuBefore);
  const requests = store.query({ metric: 'http_reqs' }).count;
  return { rps: requests / (result.durationMs / 1000), store, cpuMicrosPerRequest: (used.user + used.system) / requests };
}

/** One full push of a finished run's store, timed part by part; Snappy vs deflate-1 (zlib) on the same body. */
function pushCost(store: MetricStore): void {
  const trendStats = DEFAULT_TREND_STATS.map((s) => parseTrendStat(s) as TrendStatSpec);
  const times = { snapshot: 0, encode: 0, snappy: 0, deflate: 0 };
  let series = 0;
  let raw = 0;
  let snappy = 0;
  let deflated = 0;
  const N = 20;
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const snaps = seriesSnapshots(store);
    times.snapshot += performance.now() - t;
    t = performance.now();
    const ts = toTimeSeries(snaps, { trendStats, nativeHistograms: i % 2 === 1, commonLabels: { testid: 'bench' } }, Date.now());
    const body = encodeWriteRequest(ts);
    times.encode += performance.now() - t;
    t = performance.now();
    snappy += snappyCompress(body).length;
    times.snappy += performance.now() - t;
    t = performance.now();
    deflated += deflateRawSync(body, { level: 1 }).length;
    times.deflate += performance.now() - t;
    series += ts.length;
    raw += body.length;
  }
  console.log(`\none whole-run push (${Math.round(series / N)} series, ${(raw / N / 1024).toFixed(1)} KiB protobuf), mean of ${N}:`);
  console.log(`  snapshot of the store    ${(times.snapshot / N).toFixed(2)} ms`);
  console.log(`  series + protobuf        ${(times.encode / N).toFixed(2)} ms`);
  console.log(`  snappy                   ${(times.snappy / N).toFixed(2)} ms, ${(snappy / raw * 100).toFixed(0)} % of the body`);
  console.log(`  zlib deflate level 1     ${(times.deflate / N).toFixed(2)} ms, ${(deflated / raw * 100).toFixed(0)} % of the body  (reference)`);
  console.log(`  snappy vs deflate-1      ${(times.deflate / times.snappy).toFixed(2)}× the speed, ${(snappy / deflated).toFixed(2)}× the size`);
}

async function child(script: string): Promise<{ child: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', here(script)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', (c: Buffer) => {
      const m = /listening (\d+)/.exec(c.toString());
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return { child: proc, port };
}
