/**
 * @module bench: how late the fault timeline switches toxics against the plan — the edge accuracy the game-day e2e test
 * only bounds generously (a busy machine starves timers). 40 windows of 200 ms on / 100 ms off on the embedded chaos
 * server through toxiproxy-node-client: each journaled `fault-on`/`fault-off` (written once the server took the change)
 * against its planned time. Reference, same process: bare timers set for the same instants. Goal: every edge ≤ 500 ms
 * late (the game-day issue's ±0.5 s), median within a few ms of the bare timers'.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type JournalEntry } from '../core/index.js';
import { createFaultTimeline, createJournal, startChaosServer, type ResolvedFault } from '../chaos/index.js';
import { echoServer } from '../chaos/testing/net.js';

const WINDOWS = 40;
const ON_MS = 200;
const PERIOD_MS = 300;
const FIRST_MS = 500;
const GOAL_MAX_LATE_MS = 500;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function describe(label: string, lateMs: number[]): { median: number; max: number } {
  const sorted = [...lateMs].sort((a, b) => a - b);
  const [median, p95, max] = [percentile(sorted, 50), percentile(sorted, 95), sorted.at(-1) ?? Number.NaN];
  process.stdout.write(`  ${label.padEnd(38)} late by median ${median.toFixed(1)} ms · p95 ${p95.toFixed(1)} ms · max ${max.toFixed(1)} ms (${sorted.length} edges)\n`);
  return { median, max };
}

/** Lateness of plain setTimeout wake-ups for the same planned instants (what any scheduler on this loop gets). */
async function bareTimers(edges: readonly number[]): Promise<number[]> {
  const clock = systemClock();
  const late: number[] = [];
  for (const at of edges) {
    await clock.sleepUntil(at as Parameters<typeof clock.sleepUntil>[0]);
    late.push(clock.now() - at);
  }
  return late;
}

export async function run(): Promise<void> {
  const server = await startChaosServer({ host: '127.0.0.1', port: 0, nativeRelay: false });
  const echo = await echoServer();
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-timeline-'));
  try {
    const faults: ResolvedFault[] = Array.from({ length: WINDOWS }, (_, i) => {
      const startMs = FIRST_MS + i * PERIOD_MS;
      return { name: `w${i}`, proxy: 'link', toxic: 'latency', stream: 'downstream', toxicity: 1, at: `${startMs}ms`, attributes: { latency: 10, jitter: 0 }, startMs, endMs: startMs + ON_MS };
    });
    const journalPath = join(dir, 'journal.ndjson');
    const timeline = createFaultTimeline({
      serverUrl: server.url, runId: 'bench', clock: systemClock(), journal: createJournal(journalPath), faults,
      proxies: [{ name: 'link', listen: '127.0.0.1:0', upstream: echo.address, protocol: 'tcp', enabled: true }],
    });
    await timeline.setup();
    await timeline.run(new AbortController().signal);
    await timeline.rollback();
    const journal = readFileSync(journalPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    const planned = new Map(faults.flatMap((f) => [[`fault-on ${f.name}`, f.startMs], [`fault-off ${f.name}`, f.endMs]]));
    const late = journal.filter((e) => e.action === 'fault-on' || e.action === 'fault-off').map((e) => e.offsetMs - (planned.get(`${e.action} ${e.toxic ?? ''}`) ?? Number.NaN));
    const failed = journal.filter((e) => (e.action === 'fault-on' || e.action === 'fault-off') && e.outcome !== 'ok').length;
    const reference = await bareTimers([...planned.values()].sort((a, b) => a - b));
    process.stdout.write(`timeline: ${WINDOWS} fault windows (${ON_MS} ms on, ${PERIOD_MS - ON_MS} ms off) on the embedded chaos server\n`);
    const edges = describe('journaled edge vs plan', late);
    const bare = describe('reference: bare timers, same instants', reference);
    const ok = edges.max <= GOAL_MAX_LATE_MS && failed === 0 && late.length === 2 * WINDOWS;
    process.stdout.write(`  ${ok ? '✓' : '✗'} every edge ≤ ${GOAL_MAX_LATE_MS} ms late (max ${edges.max.toFixed(1)} ms; ${failed} failed switches) · median ${(edges.median - bare.median).toFixed(1)} ms over the bare timers'\n`);
  } finally {
    await server.close();
    await echo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
