/**
 * @module bench: a compressed-time soak (#19) — `codeblue run` drives the demo stack at ≥ 300 requests/s for 10 minutes
 * (`--minutes N` or CB_SOAK_MINUTES; 2 minutes in the default list so CI stays short) with EHR latency and reset_peer
 * windows repeating through the fault phase. Figures, each against its goal: RSS of the codeblue process every 30 s
 * (≤ 250 MB) and its least-squares slope after warm-up (≤ 1 MB per 10 min), the run folder's bytes per hour of load scaled
 * to 200 requests/s (≤ 300 MB), and the time from the last request to the verdict (≤ 10 s). Never fails by itself.
 * `--rate N` sets the offered requests/s (default 320), `--keep` keeps the run folder, `--cpu-prof DIR` writes the codeblue
 * process's CPU profile into DIR (where the seconds after the last request go).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probePostgres } from '../demo/db/probe-postgres.js';
import { dropSchema, TEST_DATABASE_URL } from '../demo/testing/test-database.js';
import type { BenchContext } from './run.js';
import { folderBytes, largestFiles } from './soak/folder-bytes.js';
import { writeSoakPlan } from './soak/plan.js';
import { sampleRss, slopePerSecond, type RssPoint } from './soak/rss.js';
import { spawnRun, type TimedEvent } from './soak/run-child.js';

const SAMPLE_MS = 5000;
const PRINT_EVERY_S = 30;
/** Requests per iteration, measured on the demo stack: the dashboard flow 3–4 reads, registration 4 writes. */
const READS_PER_ITERATION = 3.5;
const WRITES_PER_ITERATION = 4;
const GOAL = { rssMB: 250, slopeMBPer10Min: 1, diskMBPerHourAt200: 300, verdictS: 10 } as const;

function minutesOf(ctx: BenchContext): { minutes: number; note?: string } {
  const asked = ctx.flags.minutes ?? process.env.CB_SOAK_MINUTES;
  if (asked !== undefined) {
    const minutes = Number(asked);
    if (!(minutes >= 1 && minutes <= 24 * 60)) throw new Error(`--minutes must be 1 … 1440, but is "${asked}"`);
    return { minutes };
  }
  return ctx.named ? { minutes: 10 } : { minutes: 2, note: 'default list: a 2-minute soak keeps CI short; `npm run bench -- soak` runs 10 minutes, `--minutes 60` an hour' };
}

/** What the event stream tells: load start, the last request, the verdict. */
interface Watch {
  runDir?: string;
  loadStartMs?: number;
  /** Arrival of the last tick whose request count still grew, and of the tick before it. */
  lastGrowthMs?: number;
  tickBeforeGrowthMs?: number;
  prevTickMs?: number;
  requests: number;
  lastTickAtMs: number;
  /** Active VUs (the per-second `vus` reading) and the most so far: a VU, once it sent, keeps its client, so RSS follows the most. */
  vus: number;
  vusPeak: number;
  /** Each time the most VUs so far rose: when (arrival, ms) and to how many. */
  vusPeaks: { arrivedMs: number; vus: number }[];
  phase: string;
  /** Arrival of the `verdict` event (said before the after-run span pass and the reports), and of `run-end`. */
  verdictMs?: number;
  endMs?: number;
  status?: string;
  /** The verdict's reasons (why a run failed), as the run says them. */
  reasons: string[];
  /** Step messages with their arrival, to show where the time after the last request goes. */
  steps: { arrivedMs: number; message: string }[];
}

function follow(w: Watch, { arrivedMs, event }: TimedEvent): void {
  if (event.type === 'run-start') w.runDir = event.runDir as string;
  else if (event.type === 'phase') {
    w.loadStartMs ??= arrivedMs;
    w.phase = event.phase as string;
  } else if (event.type === 'tick') {
    const { requests, vus } = event.stats as { requests: number; vus: number };
    w.vus = vus;
    if (vus > w.vusPeak) w.vusPeaks.push({ arrivedMs, vus });
    w.vusPeak = Math.max(w.vusPeak, vus);
    if (requests > w.requests) {
      w.requests = requests;
      w.lastGrowthMs = arrivedMs;
      w.tickBeforeGrowthMs = w.prevTickMs;
    }
    w.prevTickMs = arrivedMs;
    w.lastTickAtMs = event.atMs as number;
  } else if (event.type === 'step' || event.type === 'rollback' || event.type === 'hypothesis') {
    w.steps.push({ arrivedMs, message: event.type === 'step' ? String(event.message) : event.type });
  } else if (event.error !== undefined) {
    process.stdout.write(`  codeblue: ${JSON.stringify(event.error)}\n`);
  } else if (event.type === 'verdict') {
    w.verdictMs = arrivedMs;
    w.status = event.status as string;
    w.reasons = ((event.reasons ?? []) as unknown[]).map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
    w.steps.push({ arrivedMs, message: `verdict ${String(event.status)} (after the ledger, the target's stop, the rollback, the collect and the evaluation)` });
  } else if (event.type === 'run-end') {
    w.endMs = arrivedMs;
    w.steps.push({ arrivedMs, message: 'run-end (after the metrics file, the pass over the kept spans and the reports)' });
  }
}

const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const clock = (s: number): string => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`;

export async function run(ctx: BenchContext = { named: true, flags: {} }): Promise<void> {
  const { minutes, note } = minutesOf(ctx);
  const rate = Number(ctx.flags.rate ?? 320);
  const realPostgres = (await probePostgres(TEST_DATABASE_URL).catch(() => 'absent')) === 'present';
  const dir = mkdtempSync(join(tmpdir(), 'cb-soak-'));
  const plan = await writeSoakPlan(dir, {
    minutes, realPostgres,
    readRate: Math.max(1, Math.round((rate * 0.8) / READS_PER_ITERATION)),
    registrationRate: Math.max(1, Math.round((rate * 0.2) / WRITES_PER_ITERATION)),
  });
  if (note) process.stdout.write(`  note: ${note}\n`);
  process.stdout.write(`  soak: ${minutes} min of load at ~${rate} requests/s offered, ${plan.faultWindows} EHR fault windows (latency, reset_peer), ${realPostgres ? 'PostgreSQL 127.0.0.1:5432' : 'embedded PGlite'}\n`);
  const w: Watch = { requests: 0, lastTickAtMs: 0, vus: 0, vusPeak: 0, vusPeaks: [], phase: 'setup', reasons: [], steps: [] };
  let lastPrintS = -PRINT_EVERY_S;
  const t0 = performance.now();
  const runChild = spawnRun(plan.file, join(dir, 'runs'), (e) => follow(w, e), ctx.flags['cpu-prof']);
  const sampler = sampleRss(runChild.child.pid as number, SAMPLE_MS, (p) => {
    if (p.atS - lastPrintS < PRINT_EVERY_S) return;
    lastPrintS = p.atS;
    const rps = w.lastTickAtMs > 0 ? w.requests / (w.lastTickAtMs / 1000) : 0;
    process.stdout.write(`  ${clock(p.atS)}  RSS ${p.mb.toFixed(0).padStart(4)} MB · ${w.phase.padEnd(8)} · ${w.requests} requests (${rps.toFixed(0)}/s) · VUs ${w.vus} active (most so far ${w.vusPeak})\n`);
  });
  let points: RssPoint[] = [];
  try {
    const code = await runChild.exited;
    points = sampler.stop();
    report(w, points, plan.loadSeconds, code, (performance.now() - t0) / 1000);
  } finally {
    sampler.stop();
    if (runChild.child.exitCode === null) runChild.child.kill('SIGINT');
    if (realPostgres) await dropSchema(plan.schema).catch(() => undefined);
    if (ctx.flags.keep === undefined) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`  kept: ${dir}\n`);
  }
}

function report(w: Watch, points: readonly RssPoint[], loadSeconds: number, code: number | null, wallS: number): void {
  const loadStartS = (w.loadStartMs ?? 0) / 1000;
  const lastRequestS = (w.lastGrowthMs ?? 0) / 1000;
  // Warm-up: a fifth of the load, at least 30 s (pools, JIT, the span store filling to its cap).
  const warmUpEndS = loadStartS + Math.max(30, (lastRequestS - loadStartS) / 5);
  const during = points.filter((p) => p.atS >= loadStartS && p.atS <= lastRequestS);
  const tail = during.filter((p) => p.atS >= warmUpEndS);
  const after = points.filter((p) => p.atS > lastRequestS);
  const peak = Math.max(0, ...during.map((p) => p.mb));
  const peakAfter = Math.max(0, ...after.map((p) => p.mb));
  const slope = slopePerSecond(tail) * 600;
  const bytes = w.runDir ? folderBytes(w.runDir) : 0;
  const hours = loadSeconds / 3600;
  const rps = w.lastTickAtMs > 0 ? w.requests / (w.lastTickAtMs / 1000) : 0;
  const perHourMB = bytes / 1e6 / hours;
  const perHourAt200 = rps > 0 ? (perHourMB * 200) / rps : Number.POSITIVE_INFINITY;
  // The last request finished between the tick before its count grew and that tick: an upper bound and a lower one.
  const verdictHi = w.verdictMs !== undefined && w.tickBeforeGrowthMs !== undefined ? (w.verdictMs - w.tickBeforeGrowthMs) / 1000 : Number.NaN;
  const verdictLo = w.verdictMs !== undefined && w.lastGrowthMs !== undefined ? (w.verdictMs - w.lastGrowthMs) / 1000 : Number.NaN;
  process.stdout.write([
    `  run ${w.status ?? 'did not end'} (exit ${code}) after ${wallS.toFixed(0)} s: ${w.requests} requests, ${rps.toFixed(0)} requests/s (goal ≥ 300)  ${mark(rps >= 300)}`,
    ...w.reasons.map((r) => `    because: ${r.slice(0, 200)}`),
    `  RSS during load: start ${during[0]?.mb.toFixed(0) ?? '?'} MB, peak ${peak.toFixed(0)} MB (goal ≤ ${GOAL.rssMB})  ${mark(peak > 0 && peak <= GOAL.rssMB)}; after the last request (evaluation, reports) peak ${peakAfter.toFixed(0)} MB`,
    `  RSS slope after warm-up (${clock(warmUpEndS - loadStartS)} in, ${tail.length} readings): ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB per 10 min (goal ≤ ${GOAL.slopeMBPer10Min})  ${mark(tail.length >= 3 && slope <= GOAL.slopeMBPer10Min)}`,
    ...concurrencyLines(w, tail),
    `  run folder: ${(bytes / 1e6).toFixed(1)} MB for ${(loadSeconds / 60).toFixed(1)} min = ${perHourMB.toFixed(0)} MB per hour at ${rps.toFixed(0)}/s → ${perHourAt200.toFixed(0)} MB per hour at 200 requests/s (goal ≤ ${GOAL.diskMBPerHourAt200})  ${mark(perHourAt200 <= GOAL.diskMBPerHourAt200)}`,
    `  last request → verdict: ${verdictLo.toFixed(1)}–${verdictHi.toFixed(1)} s (1 s tick resolution; goal ≤ ${GOAL.verdictS})  ${mark(verdictHi <= GOAL.verdictS)}`,
    `  last request → reports written (run-end): ${w.endMs !== undefined && w.lastGrowthMs !== undefined ? `${((w.endMs - w.lastGrowthMs) / 1000).toFixed(1)} s` : '?'}`,
    // Each step with the time from its start to the next one's (the time it took, at 1 ms resolution).
    ...stepLines(w),
    ...(w.runDir ? [`  largest files: ${largestFiles(w.runDir, 5).map(([f, b]) => `${f} ${(b / 1e6).toFixed(1)} MB`).join(' · ')}`] : []),
    '',
  ].join('\n'));
}

/**
 * RSS follows the most VUs used at once (each started VU keeps its client and connection), and that follows how fast
 * the target answers. So besides the slope after warm-up, the slope once concurrency stopped rising: from when the most
 * VUs so far first came within 5 % of the run's most.
 */
function concurrencyLines(w: Watch, tail: readonly RssPoint[]): string[] {
  const settled = w.vusPeaks.find((p) => p.vus >= 0.95 * w.vusPeak);
  if (!settled) return [];
  const fromS = settled.arrivedMs / 1000;
  const since = tail.filter((p) => p.atS >= fromS);
  const loadStartS = (w.loadStartMs ?? 0) / 1000;
  const head = `  VUs: most at once ${w.vusPeak}, within 5 % of it from ${clock(fromS - loadStartS)} into the load`;
  if (since.length < 20) return [`${head} (too late for a slope of its own)`];
  const slope = slopePerSecond(since) * 600;
  return [`${head}; RSS slope since then (${since.length} readings): ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB per 10 min`];
}

/** The steps after the last request: when each started (from the last request) and how long it ran until the next. */
function stepLines(w: Watch): string[] {
  const from = w.lastGrowthMs ?? 0;
  const steps = w.steps.filter((st) => st.arrivedMs >= from).slice(0, 16);
  return steps.map((st, i) => {
    const next = steps[i + 1];
    const took = next ? `${((next.arrivedMs - st.arrivedMs) / 1000).toFixed(1).padStart(5)} s` : '       ';
    return `    +${((st.arrivedMs - from) / 1000).toFixed(1).padStart(6)} s  ${took}  ${st.message.slice(0, 100)}`;
  });
}

// `npx tsx bench/soak.ts [--minutes N]` runs it alone; bench/run.ts imports run().
if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--minutes');
  await run({ named: true, flags: i > 0 && process.argv[i + 1] ? { minutes: process.argv[i + 1] as string } : {} });
}
