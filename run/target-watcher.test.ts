/** @module run: the target watcher — ends the target when codeblue's pipe closes, and never outlives what it watches. */
import { spawn, type ChildProcess } from 'node:child_process';
import { groupPids, isAlive as alive } from '../test/support/processes.js';
import { describe, expect, it } from 'vitest';
import { TARGET_MARKER_ENV, TARGET_WATCHER } from './target-process.js';

const until = async (check: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
};
/** A detached group: a shell with a child that ignores SIGTERM (so only SIGKILL after the grace period ends it). */
const group = (marker: string, ignoreTerm = false): ChildProcess =>
  spawn(process.execPath, ['-e', `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' }); setInterval(() => {}, 1 << 30);`], {
    detached: true, stdio: 'ignore', env: { ...process.env, [TARGET_MARKER_ENV]: marker },
  });
const watcher = (marker: string, graceMs = 1000): ChildProcess => spawn(process.execPath, [TARGET_WATCHER, marker, String(graceMs)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });

describe('the target watcher', { timeout: 20_000 }, () => {
  it('kills the whole group when the pipe from codeblue closes (SIGTERM, then SIGKILL after the grace period) and exits', async () => {
    const target = group('w1', true);
    const w = watcher('w1');
    try {
      w.stdin?.write(`${target.pid}\n`);
      expect(await until(() => alive(target.pid as number), 2000)).toBe(true);
      w.stdin?.destroy();
      expect(await until(() => !alive(target.pid as number) && !alive(w.pid as number), 5000)).toBe(true);
      // The whole group, not just its leader (a zombie the sandbox's init has not reaped yet is dead).
      expect(await until(() => groupPids(target.pid as number).length === 0, 5000)).toBe(true);
    } finally {
      target.kill('SIGKILL');
      w.kill('SIGKILL');
    }
  });

  it('finds the target by its marker when the group id never arrived (codeblue died mid-spawn)', async () => {
    const w = watcher('w2');
    const target = group('w2');
    try {
      expect(await until(() => alive(target.pid as number), 2000)).toBe(true);
      w.stdin?.destroy();
      expect(await until(() => !alive(target.pid as number) && !alive(w.pid as number), 5000)).toBe(true);
    } finally {
      target.kill('SIGKILL');
      w.kill('SIGKILL');
    }
  });

  it('exits on its own once the target group is gone', async () => {
    const target = group('w3');
    const w = watcher('w3');
    try {
      w.stdin?.write(`${target.pid}\n`);
      await new Promise((r) => setTimeout(r, 200));
      process.kill(-(target.pid as number), 'SIGKILL');
      expect(await until(() => !alive(w.pid as number), 5000)).toBe(true);
    } finally {
      w.kill('SIGKILL');
    }
  });
});
