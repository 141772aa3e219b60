/** @module run: starts the target's own command (`target.start`), waits for its health path, stops it after. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { request } from 'undici';
import { CodeblueError, sleep } from '../core/index.js';

export interface TargetProcess {
  readonly pid: number | undefined;
  /** Resolves with the exit code/signal if the target dies before `stop()`; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has ended. */
  hasExited(): boolean;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartTargetOptions {
  readonly command: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** File that receives the target's stdout and stderr. */
  readonly logFile: string;
}

/** Runs `command` through the shell in its own process group (so stopping reaches its children). */
export function startTarget(options: StartTargetOptions): TargetProcess {
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(options.command, {
    shell: true,
    detached: true,
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => {
      done = true;
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  void exited.then(() => setTimeout(() => log.end(), 50));
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  return {
    pid: child.pid,
    exited,
    hasExited: () => done,
    async stop(graceMs = 10_000) {
      if (done) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL'); // grandchildren that ignored SIGTERM
    },
  };
}

/**
 * Polls `url` until it answers 2xx, the target exits, or `timeoutMs` passes.
 * Throws CB_TARGET_UNREACHABLE (exit 3) when it never becomes healthy.
 */
export async function waitForHealth(url: string, timeoutMs: number, target?: TargetProcess, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw signal.reason;
    if (target?.hasExited()) {
      const { code, signal: sig } = await target.exited;
      throw new CodeblueError('CB_TARGET_UNREACHABLE', `the target exited (${sig ?? `code ${code}`}) before ${url} answered`, { hint: 'read target.log in the run folder, and try target.start by hand' });
    }
    try {
      const res = await request(url, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      last = `HTTP ${res.statusCode}`;
    } catch (err) {
      last = (err as NodeJS.ErrnoException).code ?? String(err);
    }
    await sleep(250, signal);
  }
  throw new CodeblueError('CB_TARGET_UNREACHABLE', `${url} did not become healthy within ${Math.round(timeoutMs / 1000)}s (last: ${last})`, {
    hint: 'start the target first, or set target.start / target.healthTimeout in the plan',
  });
}
