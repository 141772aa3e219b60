/** @module test/e2e: `codeblue run … --json` as a child process — its ndjson events, its exit, and cleanup. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { REPO_ROOT } from './game-day-fixture.js';

const BIN = new URL('../../bin/codeblue.js', import.meta.url).pathname;

export type CliEvent = Record<string, unknown> & { readonly type?: string };

export interface CliRun {
  readonly child: ChildProcess;
  events(): CliEvent[];
  stderr(): string;
  /** Resolves with the first event `match` accepts (also one already seen); rejects after `timeoutMs` or on exit. */
  waitFor(match: (e: CliEvent) => boolean, timeoutMs: number): Promise<CliEvent>;
  /** The exit code; rejects after `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | null>;
  /** True once nothing accepts connections on 127.0.0.1:`port` (waits up to 10 s). */
  portClosed(port: number): Promise<boolean>;
  /** SIGTERM, then SIGKILL after 20 s, if still running. */
  kill(): Promise<void>;
}

export function runCli(args: readonly string[]): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: CliEvent[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let pending = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout?.on('data', (c: Buffer) => {
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      events.push(JSON.parse(line) as CliEvent);
    }
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    resolve(code);
    for (const w of waiters) w();
  }));
  const timeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms; stderr:\n${err}`)), ms)))]).finally(() => clearTimeout(timer));
  };
  return {
    child,
    events: () => events,
    stderr: () => err,
    waitFor(match, timeoutMs) {
      return timeout(new Promise<CliEvent>((resolve, reject) => {
        const look = (): void => {
          const hit = events.find(match);
          if (hit) resolve(hit);
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`codeblue exited (${child.exitCode ?? child.signalCode}) before the event; stderr:\n${err}`));
          else return;
          waiters.delete(look);
        };
        waiters.add(look);
        look();
      }), timeoutMs, 'no matching event');
    },
    exit: (timeoutMs) => timeout(exited, timeoutMs, 'codeblue did not exit'),
    async portClosed(port) {
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
        const open = await new Promise<boolean>((resolve) => {
          const socket = net.connect({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
          socket.once('error', () => resolve(false));
        });
        if (!open) return true;
      }
      return false;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
