/**
 * @module test/e2e: the parent-death rule (#13 item 7) — `npx` does not pass SIGTERM on, so codeblue treats the
 * death of the process that started it as SIGTERM: a wrapper starts `codeblue run`, the wrapper is SIGKILLed during
 * a fault, and codeblue must roll back (nothing left on the chaos server), stop its target and exit 130.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './game-day-fixture.js';
import { fixturePids, groupPids, isAlive, startHarness, type Harness } from './sigkill-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

// The wrapper plays npx: it starts codeblue (output to a file, as CI does), prints its pid, and lives on.
const WRAPPER = `
const { spawn } = require('node:child_process');
const { openSync } = require('node:fs');
const [bin, plan, out, log] = process.argv.slice(1);
const fd = openSync(log, 'a');
const child = spawn(process.execPath, [bin, 'run', plan, '--json', '--out', out], { stdio: ['ignore', fd, fd] });
process.stdout.write(child.pid + '\\n');
setInterval(() => {}, 1 << 30);
`;

const until = async (check: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
};

describe('the parent-death rule', { timeout: 120_000 }, () => {
  it('rolls back, stops the target and exits 130 when the process that started codeblue is SIGKILLed', async () => {
    const log = join(h.dir, 'wrapped.ndjson');
    const wrapper = spawn(process.execPath, ['-e', WRAPPER, join(REPO_ROOT, 'bin/codeblue.js'), h.planFile, h.outRoot, log], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    const pid = await new Promise<number>((resolve) => wrapper.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    const events = (): Record<string, unknown>[] => readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      expect(await until(() => events().some((e) => e.type === 'fault' && e.action === 'on'), 60_000)).toBe(true);
      wrapper.kill('SIGKILL');
      expect(await until(() => !isAlive(pid), 30_000)).toBe(true);
    } finally {
      wrapper.kill('SIGKILL');
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    const all = events();
    expect(all.find((e) => e.type === 'rollback')).toMatchObject({ leftovers: [] });
    expect(all.at(-1)).toMatchObject({ type: 'run-end', status: 'interrupted', exitCode: 130 });
    expect(await h.proxies()).toEqual([]);
    const runDir = join(h.outRoot, readdirSync(h.outRoot)[0] as string);
    expect(readFileSync(join(runDir, 'status'), 'utf8').trim()).toBe('interrupted');
    const state = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')) as { finished: boolean; target: { pgid: number } };
    expect(state.finished).toBe(true);
    expect(await until(() => groupPids(state.target.pgid).length === 0 && fixturePids(h.targetPort).length === 0, 5_000)).toBe(true);
  });
});
