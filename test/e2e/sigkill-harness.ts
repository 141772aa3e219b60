/**
 * @module test/e2e: the SIGKILL harness — a standalone `codeblue chaos serve`, a short plan whose `target.start` is a
 * tiny two-process node server, and `codeblue run` killed with SIGKILL at a chosen point; then what is left:
 * proxies on the server, processes of the target's group, the watcher. Used by sigkill.test.ts (a few trials)
 * and bench/sigkill.ts (≥ 20 trials with figures).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { groupPids, isAlive } from '../support/processes.js';

export { groupPids, isAlive };
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pickPorts } from '../support/ports.js';
import { runCli, type CliEvent, type CliRun } from './cli-run.js';
import { REPO_ROOT } from './game-day-fixture.js';

const BIN = join(REPO_ROOT, 'bin/codeblue.js');
const TARGET = join(REPO_ROOT, 'test/e2e/fixtures/sigkill-target.mjs');

export type KillPoint = 'proxies' | 'fault' | 'finish';

export interface Harness {
  readonly dir: string;
  readonly outRoot: string;
  readonly chaosUrl: string;
  readonly planFile: string;
  /** The fixture target's port (its processes carry it in their command line). */
  readonly targetPort: number;
  /** Every `cb-` proxy on the chaos server. */
  proxies(): Promise<string[]>;
  close(): Promise<void>;
}

export interface Trial {
  readonly runId: string;
  readonly point: KillPoint;
  /** Proxies of the killed run still on the server right after the kill. */
  readonly leftovers: readonly string[];
  /** The target's process group and the pids in it at the moment of the kill. */
  readonly pgid: number | undefined;
  readonly pids: readonly number[];
  /** Pids of the group (and the watcher) still alive 5 s after the kill; killed by the harness afterwards. */
  readonly orphans: readonly number[];
  /** Ms from the kill until every watched process was gone (undefined when some never went). */
  readonly goneAfterMs: number | undefined;
  /** What this run said at its start about earlier dead runs (`step` events). */
  readonly saidAtStart: readonly string[];
  readonly run: CliRun;
}


/** Live pids of the fixture target on `port` (its server and its helper), found by command line in /proc. */
export function fixturePids(port: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = cmd.findIndex((a) => a.endsWith('sigkill-target.mjs') || a === 'sigkill-helper');
      if (at >= 0 && cmd[at + 1] === String(port) && isAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Starts `codeblue chaos serve --port 0` as its own process and writes the plan; the state registry goes into the temp dir. */
export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-sigkill-'));
  process.env.CODEBLUE_STATE_DIR = join(dir, 'state');
  const server: ChildProcess = spawn(process.execPath, [BIN, 'chaos', 'serve', '--port', '0', '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const chaosUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1] as string);
    });
    server.once('exit', (code) => reject(new Error(`chaos serve exited (${code})`)));
  });
  const [target, a, b] = (await pickPorts(3)) as [number, number, number];
  const plan = {
    name: 'sigkill',
    target: { baseUrl: `http://127.0.0.1:${target}`, start: `${JSON.stringify(process.execPath)} ${JSON.stringify(TARGET)} ${target}`, cwd: REPO_ROOT, health: '/health', healthTimeout: '30s' },
    chaos: { server: chaosUrl },
    proxies: [
      { name: 'a', listen: `127.0.0.1:${a}`, upstream: `127.0.0.1:${target}` },
      { name: 'b', listen: `127.0.0.1:${b}`, upstream: `127.0.0.1:${target}` },
    ],
    phases: { baseline: '1s', fault: '2s', recovery: '1s' },
    scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '4s', steps: [{ name: 'get', request: { method: 'GET', path: '/' } }] } },
    faults: [{ proxy: 'a', at: 'fault+0s', duration: '2s', toxic: 'latency', attributes: { latency: 10 } }],
    hypothesis: [{ name: 'up', request: { method: 'GET', path: '/health' }, expect: { status: 200 } }],
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
    safety: { maxDuration: '1m', maxRequests: 100_000 },
    outputs: ['json'],
  };
  const planFile = join(dir, 'sigkill.yaml');
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const proxies = async (): Promise<string[]> => Object.keys((await (await fetch(`${chaosUrl}/proxies`)).json()) as object).filter((n) => n.startsWith('cb-'));
  return {
    dir, outRoot: join(dir, 'runs'), chaosUrl, planFile, proxies, targetPort: target,
    async close() {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once('exit', r)));
      delete process.env.CODEBLUE_STATE_DIR;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const pointReached: Record<KillPoint, (e: CliEvent) => boolean> = {
  // Proxies exist; the target is being spawned (the racy moment for the watcher).
  proxies: (e) => e.type === 'step' && String(e.message).startsWith('starting the target'),
  fault: (e) => e.type === 'fault' && e.action === 'on',
  // In the finish: faults off, steady state checked again, target and proxies not yet removed.
  finish: (e) => e.type === 'hypothesis' && e.when === 'after',
};

const until = async (check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await check()) return true;
  return check();
};

/** One run of the plan, SIGKILLed `delayMs` after `point`; returns what it left behind after 5 s. */
export async function killTrial(h: Harness, point: KillPoint, delayMs: number): Promise<Trial> {
  const run = runCli(['run', h.planFile, '--json', '--out', h.outRoot]);
  const start = (await run.waitFor((e) => e.type === 'run-start', 60_000)) as CliEvent & { runId: string; runDir: string };
  await run.waitFor(pointReached[point], 60_000).catch((err: Error) => {
    throw new Error(`${err.message}\nevents: ${run.events().filter((e) => e.type !== 'tick').map((e) => JSON.stringify(e)).join('\n')}`);
  });
  await new Promise((r) => setTimeout(r, delayMs));
  const stateBefore = readState(start.runDir);
  const pgidSeen = stateBefore?.target?.pgid;
  const pidsAtKill = pgidSeen === undefined ? [] : groupPids(pgidSeen);
  run.child.kill('SIGKILL');
  const killedAt = Date.now();
  await run.exit(10_000);
  const state = readState(start.runDir);
  const pgid = state?.target?.pgid;
  const watched = [...new Set([...pidsAtKill, ...(pgid === undefined ? [] : groupPids(pgid)), ...(state?.target?.watcherPid ? [state.target.watcherPid] : [])])];
  // Recorded or not (codeblue may die while spawning the target), every process of the fixture must go.
  const allGone = await until(() => watched.every((p) => !isAlive(p)) && (pgid === undefined || groupPids(pgid).length === 0) && fixturePids(h.targetPort).length === 0, 5_000);
  const goneAfterMs = allGone ? Date.now() - killedAt : undefined;
  const orphans = [...new Set([...watched.filter(isAlive), ...(pgid === undefined ? [] : groupPids(pgid)), ...fixturePids(h.targetPort)])];
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const leftovers = (await h.proxies()).filter((n) => n.startsWith(`cb-${start.runId}-`));
  const saidAtStart = run.events().filter((e) => e.type === 'step' && /dead run/.test(String(e.message))).map((e) => String(e.message));
  return { runId: start.runId, point, leftovers, pgid, pids: watched, orphans, goneAfterMs, saidAtStart, run };
}

interface StateFile { target?: { pgid?: number; watcherPid?: number } }
function readState(runDir: string): StateFile | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

/** `codeblue cleanup --out … --chaos-server …`: its exit code and what it printed. */
export async function runCleanup(h: Harness): Promise<{ code: number; stdout: string }> {
  // Async: a blocking spawn would stall this process's own timers while cleanup runs.
  return promisify(execFile)(process.execPath, [BIN, 'cleanup', '--out', h.outRoot, '--chaos-server', h.chaosUrl], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: process.env })
    .then((r) => ({ code: 0, stdout: r.stdout }), (err: { code?: number; stdout?: string }) => ({ code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '' }));
}
