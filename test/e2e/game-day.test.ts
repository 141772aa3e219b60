/**
 * @module test/e2e: game days end to end against the demo stack — real processes, real sockets on loopback,
 * real PostgreSQL (a schema per drill): phase and fault timing, rollback on every exit path, the
 * hardened/fragile verdict, and the acknowledged-write ledger.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrefix, startChaosServer, type ChaosServer } from '../../chaos/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay, type GameDayOutcome, type RunEvent } from '../../run/index.js';
import { runCli, type CliRun } from './cli-run.js';
import { deleteOnePatient, drill, dropDrillSchemas, ENCOUNTER_CREATE, proxyNames, readJournal, toxicPresent, type Drill, type JournalLine } from './game-day-fixture.js';
import { waitUntil } from '../support/poll.js';

/**
 * How late a phase or fault edge may be journaled against the plan: a generous bound for a busy machine (a starved
 * event loop fires timers late), not the scheduler's accuracy, which `npm run bench -- toxics` measures.
 */
const EDGE_MS = 2000;
/** Timers may fire up to a millisecond before performance.now() reaches their time (libuv rounds to whole ms). */
const TIMER_ROUNDING_MS = 2;

let out: string;
/** A chaos server that outlives the runs pointed at it, so what they leave behind can be read back. */
let chaos: ChaosServer;
const clis: CliRun[] = [];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'cb-e2e-gameday-'));
  chaos = await startChaosServer({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await Promise.all(clis.map((c) => c.kill()));
  await chaos?.close();
  await dropDrillSchemas();
  if (out) rmSync(out, { recursive: true, force: true });
}, 60_000);

/** The plan of the verdict tests: EHR answers 5 s late for 8 s of the fault phase; Encounter creates must stay fast. */
function ehrLatencyDrill(preset: 'hardened' | 'fragile', chaosServer?: string): Promise<Drill> {
  return drill({
    name: `ehr-latency-${preset}`, preset, chaosServer,
    phases: { baseline: 3, fault: 10, recovery: 3 },
    faults: [{ name: 'ehr-slow', proxy: 'ehr', at: 'fault+1s', duration: '8s', toxic: 'latency', attributes: { latency: 5000 } }],
    // Hardened answers an admit within its 1.5 s EHR budget (breaker, outbox): p90 about 1.9 s here. Fragile waits for
    // the EHR: admits started in the first 4.5 s of the window (about 28 % of all) take 3.5–5 s, so its p90 is above 3.5 s.
    thresholds: { [`http_req_duration{name:${ENCOUNTER_CREATE}}`]: ['p(90)<3500'] },
  });
}

interface InProcessRun extends GameDayOutcome {
  readonly events: RunEvent[];
  /** Proxies on the run's chaos server right after its rollback (read while the server still runs). */
  readonly afterRollback: string[];
  /** performance.now() at the run clock's offset 0 (the baseline start). */
  readonly originPerfMs: number;
}

/** Runs a drill in-process; `during` gets the chaos server as soon as it exists, `onPhase` each phase start. */
async function runInProcess(d: Drill, hooks: { during?: (url: string, prefix: string, stop: AbortSignal) => void; onPhase?: (phase: string) => void } = {}): Promise<InProcessRun> {
  const events: RunEvent[] = [];
  const done = new AbortController();
  let chaosUrl: string | undefined;
  let afterRollback: Promise<string[]> | undefined;
  let originPerfMs = Number.NaN;
  try {
    const outcome = await executeGameDay(d.plan, {
      outRoot: out,
      onChaosReady: ({ url, prefix }) => {
        chaosUrl = url;
        hooks.during?.(url, prefix, done.signal);
      },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'phase') {
          if (e.phase === 'baseline') originPerfMs = performance.now() - e.atMs;
          hooks.onPhase?.(e.phase);
        }
        // The embedded server closes shortly after the rollback; read it back before it goes.
        if (e.type === 'rollback' && chaosUrl) afterRollback = proxyNames(chaosUrl);
      },
    });
    return { ...outcome, events, afterRollback: afterRollback ? await afterRollback : ['(no rollback event)'], originPerfMs };
  } finally {
    done.abort();
  }
}

const actions = (journal: readonly JournalLine[]): string[] => journal.map((j) => j.action);
const readResults = (runDir: string): RunResults => JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
const thresholdVerdict = (results: RunResults) => results.verdicts.find((v) => v.kind === 'threshold' && v.name.includes(ENCOUNTER_CREATE));

/** Rollback came last: after it, only the run-end line. */
function expectRolledBackLast(journal: readonly JournalLine[], status: string): void {
  const tail = journal.slice(-2);
  expect(tail.map((j) => j.action)).toEqual(['rollback-verified', 'run-end']);
  expect(tail[1]?.reason).toBe(status);
  const lastFaultOn = journal.map((j) => j.action).lastIndexOf('fault-on');
  expect(actions(journal).indexOf('rollback-start')).toBeGreaterThan(lastFaultOn);
}

describe('game day against the demo stack', { timeout: 120_000 }, () => {
  it('hardened: phases start on time, the fault is on exactly in its window, nothing is left after, exit 0', async () => {
    const d = await ehrLatencyDrill('hardened');
    const faultWindow = d.plan.faults[0] as { startMs: number; endMs: number; name: string };
    const raw: { beforePerfMs: number; afterPerfMs: number; present: boolean }[] = [];
    const run = await runInProcess(d, {
      during: (url, prefix, stop) => {
        void (async () => {
          while (!stop.aborted) {
            const before = performance.now();
            let present: boolean;
            try {
              present = await toxicPresent(url, `${prefix}ehr`, `${prefix}${faultWindow.name}`);
            } catch {
              return; // the run closed its server
            }
            raw.push({ beforePerfMs: before, afterPerfMs: performance.now(), present });
            await new Promise((r) => setTimeout(r, 200));
          }
        })();
      },
    });
    const journal = readJournal(run.runDir);
    // On the run clock; polls before the baseline (target start-up) are left out.
    const polls = raw.map((p) => ({ fromMs: p.beforePerfMs - run.originPerfMs, toMs: p.afterPerfMs - run.originPerfMs, present: p.present })).filter((p) => p.fromMs >= 0);

    // 1. Phases in order, each at its planned start.
    const starts = journal.filter((j) => j.action === 'phase-start');
    expect(starts.map((j) => j.phase)).toEqual(['baseline', 'fault', 'recovery']);
    for (const phase of d.plan.phases) {
      const started = starts.find((j) => j.phase === phase.name);
      expect(Math.abs((started?.offsetMs ?? Number.NaN) - phase.startMs), `${phase.name} started at ${started?.offsetMs} ms, planned ${phase.startMs} ms`).toBeLessThanOrEqual(EDGE_MS);
    }

    // 2. The toxic as the chaos server showed it: absent before the planned start (never switched on early), there
    // from its journaled `fault-on` (written once the server took it) to the planned end (never switched off early),
    // and gone after its journaled `fault-off`. A poll counts only when its whole round trip lies in one stretch.
    const on = journal.find((j) => j.action === 'fault-on');
    const off = journal.find((j) => j.action === 'fault-off');
    const [onMs, offMs] = [on?.offsetMs ?? Number.NaN, off?.offsetMs ?? Number.NaN];
    expect(Math.abs(onMs - faultWindow.startMs)).toBeLessThanOrEqual(EDGE_MS);
    expect(Math.abs(offMs - faultWindow.endMs)).toBeLessThanOrEqual(EDGE_MS);
    const before = polls.filter((p) => p.toMs < faultWindow.startMs - TIMER_ROUNDING_MS);
    const inside = polls.filter((p) => p.fromMs > onMs && p.toMs < faultWindow.endMs - TIMER_ROUNDING_MS);
    const after = polls.filter((p) => p.fromMs > offMs);
    expect(inside.length, 'polls inside the fault window').toBeGreaterThanOrEqual(10);
    expect(before.length, 'polls before the window').toBeGreaterThanOrEqual(5);
    expect(after.length, 'polls after the window').toBeGreaterThanOrEqual(5);
    expect([...before, ...after].filter((p) => p.present), 'polls outside the window that saw the toxic').toEqual([]);
    expect(inside.filter((p) => !p.present), 'polls inside the window that missed the toxic').toEqual([]);

    // 3. Nothing left after a passing run; 4. hardened passes its threshold.
    expect(run.afterRollback).toEqual([]);
    expect(run.record.rollback?.leftovers).toEqual([]);
    expectRolledBackLast(journal, 'completed');
    expect(thresholdVerdict(run.results)?.pass, JSON.stringify(thresholdVerdict(run.results))).toBe(true);
    expect(run.results.meta.status).toBe('passed');
    expect(run.exitCode, JSON.stringify(run.results.verdicts.filter((v) => !v.pass))).toBe(0);
  });

  it('fragile: the same plan fails (exit 1) on the Encounter latency threshold, and nothing is left on the chaos server', async () => {
    const d = await ehrLatencyDrill('fragile', chaos.url);
    const run = await runInProcess(d);
    const verdict = thresholdVerdict(run.results);
    expect(verdict?.pass, JSON.stringify(verdict)).toBe(false);
    expect(verdict?.observed).toBeGreaterThanOrEqual(3500);
    expect(run.results.meta.status).toBe('failed');
    expect(run.exitCode).toBe(1);
    expect(run.afterRollback).toEqual([]);
    expect(await proxyNames(chaos.url)).toEqual([]);
    expectRolledBackLast(readJournal(run.runDir), 'completed');
  });

  it('halt: the database link goes down under fragile, the halt rule stops the run (exit 1), nothing is left', async () => {
    const d = await drill({
      name: 'db-down-halt', preset: 'fragile', chaosServer: chaos.url, rate: 8,
      phases: { baseline: 3, fault: 12, recovery: 4 },
      faults: [{ name: 'db-down', proxy: 'postgres', at: 'fault+0s', toxic: 'down' }],
      halt: { errorRate: 0.3, for: '2s' },
    });
    const run = await runInProcess(d);
    const journal = readJournal(run.runDir);
    expect(run.results.meta.status).toBe('halted');
    expect(run.results.meta.haltReason).toMatch(/error rate above 30\.0% for 2s/);
    expect(run.exitCode).toBe(1);
    const halt = journal.find((j) => j.action === 'halt');
    // Halted inside the fault phase, long before the recovery phase would have begun.
    expect(halt?.offsetMs).toBeGreaterThan(d.plan.phases[1]?.startMs ?? Number.NaN);
    expect(halt?.offsetMs).toBeLessThan(d.plan.phases[2]?.startMs ?? Number.NaN);
    expect(journal.filter((j) => j.action === 'phase-start').map((j) => j.phase)).toEqual(['baseline', 'fault']);
    expect(run.afterRollback).toEqual([]);
    expect(await proxyNames(chaos.url)).toEqual([]);
    expectRolledBackLast(journal, 'halted');
  });

  it('ledger: a Patient deleted behind the stack during recovery is reported missing, and the run fails', async () => {
    const d = await drill({
      name: 'ledger-delete', preset: 'hardened', chaosServer: chaos.url,
      phases: { baseline: 3, fault: 4, recovery: 4 },
      faults: [{ name: 'db-slow', proxy: 'postgres', at: 'fault+0s', toxic: 'latency', attributes: { latency: 50 } }],
    });
    let deleted: Promise<string> | undefined;
    const run = await runInProcess(d, {
      onPhase: (phase) => {
        if (phase === 'recovery') deleted = deleteOnePatient(d.schema);
      },
    });
    expect(deleted, 'the recovery phase began').toBeDefined();
    const id = await (deleted as Promise<string>);
    expect(run.results.ledger?.missingIds).toContain(`Patient/${id}`);
    expect(run.record.ledger?.missing.map((p) => `${p.resourceType}/${p.id}`)).toEqual([`Patient/${id}`]);
    const verdict = run.results.verdicts.find((v) => v.kind === 'ledger');
    expect(verdict?.pass).toBe(false);
    expect(run.results.meta.status).toBe('failed');
    expect(run.exitCode).toBe(1);
    expect(await proxyNames(chaos.url)).toEqual([]);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to \`codeblue run\` mid-fault: rollback, partial results and report, exit 130, nothing left`, async () => {
      const d = await drill({
        name: `interrupted-${signal.toLowerCase()}`, preset: 'hardened', chaosServer: chaos.url,
        phases: { baseline: 3, fault: 12, recovery: 4 },
        faults: [{ name: 'ehr-slow', proxy: 'ehr', at: 'fault+0s', toxic: 'latency', attributes: { latency: 1000 } }],
      });
      const cli = runCli(['run', d.writeTo(out), '--out', out, '--json']);
      clis.push(cli);
      const faultOn = await cli.waitFor((e) => e.type === 'fault' && e.action === 'on', 60_000);
      expect(faultOn.outcome).toBe('ok');
      // The toxic is really on when the signal arrives (polled on the chaos server, no fixed sleep).
      const prefix = runPrefix(String(cli.events().find((e) => e.type === 'run-start')?.runId));
      await waitUntil(() => toxicPresent(chaos.url, `${prefix}ehr`, `${prefix}ehr-slow`), 'the fault toxic is on the chaos server');
      cli.child.kill(signal);
      const code = await cli.exit(60_000);
      expect(code, cli.stderr()).toBe(130);

      expect(await proxyNames(chaos.url)).toEqual([]);
      const runDir = cli.events().find((e) => e.type === 'run-start')?.runDir as string;
      const results = readResults(runDir);
      expect(results.meta.status).toBe('interrupted');
      expect(results.meta.exitCode).toBe(130);
      expect(existsSync(join(runDir, 'report.html'))).toBe(true);
      const journal = readJournal(runDir);
      expect(journal.filter((j) => j.action === 'phase-start').map((j) => j.phase)).toEqual(['baseline', 'fault']);
      expectRolledBackLast(journal, 'interrupted');
      // The target the run started is stopped too.
      expect(await cli.portClosed(d.ports.api)).toBe(true);
    });
  }
});
