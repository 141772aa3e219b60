/**
 * @module bench: the live control room's cost to the load engine — the same short game day (constant VUs against a
 * plain HTTP target in its own process, no faults) with the control room open and 0 vs 20 pages connected to its
 * event stream. The pages are SSE readers in a child process, so only the server's work lands on the engine's loop.
 * Goal: throughput with 20 pages ≥ 0.95× throughput with none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan } from '../plan/index.js';
import { executeGameDay, startControlRoom } from '../run/index.js';
import { startTarget } from './load/start-target.js';
import { median } from '../chaos/testing/net.js';

const PAGES = 20;
const SECONDS = 6;
const VUS = 20;
/** Rounds per setting, interleaved in ABBA order; medians and the median paired ratio count. */
const ROUNDS = 6;

export async function run(): Promise<void> {
  const target = await startTarget();
  const out = mkdtempSync(join(tmpdir(), 'cb-bench-ui-'));
  try {
    const plan = benchPlan(target.port);
    const none: number[] = [];
    const many: number[] = [];
    const costs: number[] = [];
    let frames = 0;
    // One unmeasured round first: the first game day of a process pays for JIT warm-up and lazy imports.
    await oneRun(plan, out, 0);
    for (let i = 0; i < ROUNDS; i++) {
      // ABBA order: a machine whose load drifts favours neither setting.
      const order = i % 2 === 0 ? [0, PAGES] : [PAGES, 0];
      for (const pages of order) {
        const r = await oneRun(plan, out, pages);
        if (pages === 0) none.push(r.rps);
        else {
          many.push(r.rps);
          frames += r.frames;
          costs.push(r.roomMsPerSecond);
        }
      }
    }
    const m0 = median(none);
    const m20 = median(many);
    const cost = median(costs);
    console.log(`\nengine throughput with the control room open: ${VUS} VUs on GET /, ${SECONDS}s, ${ROUNDS} rounds in ABBA order`);
    console.log(`  0 pages connected      ${Math.round(m0).toLocaleString('en-US')} req/s median   (rounds: ${none.map(Math.round).join(', ')})`);
    console.log(`  ${PAGES} pages connected     ${Math.round(m20).toLocaleString('en-US')} req/s median   (rounds: ${many.map(Math.round).join(', ')}; ${frames} snapshots received in all)`);
    console.log(`  ratio of medians       ${(m20 / m0).toFixed(3)}×  (goal ≥ 0.95×)`);
    // Each 20-page round against the 0-page round of the same pair: robust to a machine whose load drifts.
    console.log(`  paired ratio (median)  ${median(many.map((r, i) => r / (none[i] ?? r))).toFixed(3)}×`);
    // What the room itself took of the engine's event loop: the figure the throughput ratios try to see through noise.
    console.log(`  room's event-loop time ${cost.toFixed(1)} ms per second with ${PAGES} pages (median) → expected ratio ≈ ${(1 - cost / 1000).toFixed(3)}×`);
  } finally {
    target.child.kill('SIGTERM');
    rmSync(out, { recursive: true, force: true });
  }
}

function benchPlan(port: number): ReturnType<typeof parsePlan> {
  return parsePlan(JSON.stringify({
    name: 'bench-ui', target: { baseUrl: `http://127.0.0.1:${port}` },
    collectors: { otlpListen: '127.0.0.1:0' },
    scenarios: { s: { executor: 'constant-vus', vus: VUS, duration: `${SECONDS}s`, steps: [{ name: 'root', request: { path: '/' } }] } },
    safety: { maxRequests: 100_000_000 },
    outputs: ['json'],
  }), 'bench-ui.yaml');
}

async function oneRun(plan: ReturnType<typeof parsePlan>, out: string, pages: number): Promise<{ rps: number; frames: number; roomMsPerSecond: number }> {
  const room = await startControlRoom({ host: '127.0.0.1', port: 0, policy: { allowHosts: [], allowRemote: false }, setting: '--ui-listen', title: plan.name });
  const readers = pages > 0 ? startReaders(`${room.origin}/events?token=${room.token}`, pages) : undefined;
  try {
    if (readers) await readers.ready;
    const outcome = await executeGameDay(plan, { outRoot: out, onOperator: room.attach, onEvent: room.onEvent });
    const requests = outcome.record.store.query({ metric: 'http_reqs' }).count;
    const cost = room.cost();
    return { rps: requests / SECONDS, frames: readers ? await readers.stop() : 0, roomMsPerSecond: cost.snapshots > 0 ? (cost.buildMs + cost.writeMs) / SECONDS : 0 };
  } finally {
    await room.close();
  }
}

/** `count` event-stream readers in a child process; `stop` returns the snapshots they received. */
function startReaders(url: string, count: number): { ready: Promise<void>; stop: () => Promise<number> } {
  const script = `
    import http from 'node:http';
    let frames = 0, open = 0;
    for (let i = 0; i < ${count}; i++) http.get(${JSON.stringify(url)}, (res) => {
      if (++open === ${count}) console.log('ready');
      res.on('data', (c) => { frames += (c.toString().match(/event: snapshot/g) || []).length; });
    });
    process.on('SIGTERM', () => { console.log('frames ' + frames); process.exit(0); });`;
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const ready = new Promise<void>((resolve) => child.stdout?.on('data', (c: Buffer) => {
    text += c.toString();
    if (text.includes('ready')) resolve();
  }));
  return {
    ready,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve(Number(/frames (\d+)/.exec(text)?.[1] ?? 0)));
      child.kill('SIGTERM');
    }),
  };
}

