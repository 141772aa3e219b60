/** @module run: dead runs' leftovers — found by state file (pid gone or reused) or by proxy name, removed, and said. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../chaos/index.js';
import { echoServer, type TestServer } from '../chaos/testing/net.js';
import { cleanLeftovers, describeCleanup } from './leftovers.js';
import { processStartTime } from './process-identity.js';
import { openRunState, type RunStateRecord } from './run-state.js';
import { isAlive as alive } from '../test/support/processes.js';

let server: ChaosServer;
let echo: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
  dir = mkdtempSync(join(tmpdir(), 'cb-leftovers-'));
  process.env.CODEBLUE_STATE_DIR = join(dir, 'registry');
});
afterAll(async () => {
  delete process.env.CODEBLUE_STATE_DIR;
  await server.close();
  await echo.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = async (): Promise<string[]> => Object.keys((await (await fetch(`${server.url}/proxies`)).json()) as object).sort();
const create = async (name: string): Promise<void> => {
  const res = await fetch(`${server.url}/proxies`, { method: 'POST', body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: echo.address }) });
  expect(res.status).toBe(201);
};
const writeState = (outRoot: string, record: Omit<RunStateRecord, 'version' | 'runDir' | 'startedAt' | 'finished'>): void => {
  const runDir = join(outRoot, `${record.runId}-plan`);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'state.json'), JSON.stringify({ version: 1, runDir, startedAt: new Date().toISOString(), finished: false, ...record }));
};
const exitedPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid as number;
};

describe('cleanLeftovers', { timeout: 30_000 }, () => {
  it('removes dead and unknown runs\' proxies and a dead run\'s process group; keeps live runs\' and manual ones', async () => {
    const outRoot = join(dir, 'runs');
    const chaos = (id: string) => ({ url: server.url, prefix: `cb-${id}-`, proxies: [`cb-${id}-a`], embedded: false });
    // A dead run (its pid exited) whose target group still runs; a pid reused by another process (this one);
    // a live run (this process, right start time); a proxy of no known run; and a manual one.
    const group = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore' });
    const pgid = group.pid as number;
    writeState(outRoot, { runId: '20261201t000000-dead', pid: await exitedPid(), chaos: chaos('20261201t000000-dead'), target: { command: 'x', pgid, pgidStartTime: processStartTime(pgid) as string } });
    writeState(outRoot, { runId: 'reused', pid: process.pid, pidStartTime: '1', chaos: chaos('reused') });
    writeState(outRoot, { runId: 'live', pid: process.pid, pidStartTime: processStartTime(process.pid) as string, chaos: chaos('live') });
    for (const name of ['cb-20261201t000000-dead-a', 'cb-20261201t000000-dead-b', 'cb-reused-a', 'cb-live-a', 'cb-stray-x', 'cb-manual-m', 'mine']) await create(name);
    try {
      const report = await cleanLeftovers({ outRoot, servers: [server.url] });
      expect(await names()).toEqual(['cb-live-a', 'cb-manual-m', 'mine']);
      expect(report.liveRuns).toEqual(['live']);
      expect(report.runs.map((r) => [r.runId, r.removedProxies.length]).sort()).toEqual([['20261201t000000-dead', 2], ['reused', 1], ['stray', 1]]);
      const text = describeCleanup(report).join('\n');
      expect(text).toContain(`leftovers of dead run 20261201t000000-dead (found in ${join(outRoot, '20261201t000000-dead-plan', 'state.json')}): removed 2 proxies from ${server.url}`);
      expect(text).toContain(`killed its target's processes (group ${pgid}`);
      for (let i = 0; i < 50 && alive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pgid)).toBe(false);
      // Cleaned runs are marked, so the next look finds nothing.
      expect((await cleanLeftovers({ outRoot, servers: [server.url] })).runs).toEqual([]);
    } finally {
      group.kill('SIGKILL');
    }
  });

  it('kills a dead run\'s target found by its marker alone (killed while spawning it: no group id recorded)', async () => {
    const outRoot = join(dir, 'runs-marker');
    const marker = 'test-marker-1';
    const stray = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore', env: { ...process.env, CODEBLUE_TARGET: marker } });
    try {
      for (let i = 0; i < 50 && !readFileSync(`/proc/${stray.pid}/environ`, 'latin1').includes(marker); i++) await new Promise((r) => setTimeout(r, 50));
      writeState(outRoot, { runId: 'midspawn', pid: await exitedPid(), target: { command: 'x', marker } });
      const report = await cleanLeftovers({ outRoot });
      expect(report.runs[0]?.killedPids).toContain(stray.pid);
      for (let i = 0; i < 50 && alive(stray.pid as number); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(stray.pid as number)).toBe(false);
    } finally {
      stray.kill('SIGKILL');
    }
  });

  it('treats a run as alive from its registry entry alone, whatever --out it used, until it finishes', async () => {
    const state = openRunState(mkdtempSync(join(dir, 'elsewhere-')), 'elsewhere');
    await create('cb-elsewhere-a');
    expect((await cleanLeftovers({ servers: [server.url] })).liveRuns).toContain('elsewhere');
    expect(await names()).toContain('cb-elsewhere-a');
    state.finish('completed');
    const report = await cleanLeftovers({ servers: [server.url] });
    expect(report.runs.map((r) => r.runId)).toEqual(['elsewhere']);
    expect(await names()).not.toContain('cb-elsewhere-a');
  });
});
