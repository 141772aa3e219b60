/** @module demo/stack: one demo process as a child — spawned through tsx, ready over IPC, stopped with SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A started child service. */
export interface ChildService {
  readonly name: string;
  readonly pid: number;
  /** What the child reported when ready (urls, ports). */
  readonly info: Readonly<Record<string, string | number>>;
  /** Resolves with the exit code when the child exits (for whatever reason). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/** The child failed before it was ready; `exitCode` is what it exited with. */
export class ChildStartError extends Error {
  override readonly name = 'ChildStartError';
  constructor(message: string, readonly exitCode: number | null) {
    super(message);
  }
}

function pipeLines(stream: NodeJS.ReadableStream | null, prefix: string): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => process.stderr.write(`[${prefix}] ${line}\n`));
}

/** Spawns `node --import tsx <script> ...args` and resolves once it sends `{type: 'ready'}`. */
export function startChildService(name: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv, readyTimeoutMs = 60_000): Promise<ChildService> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, new URL('../', import.meta.url))), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  pipeLines(child.stdout, name);
  pipeLines(child.stderr, name);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  const stop = async (graceMs = 6000): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(1000);
      reject(new ChildStartError(`${name} was not ready within ${readyTimeoutMs}ms`, null));
    }, readyTimeoutMs);
    child.on('message', (msg: { type?: string; info?: Record<string, string | number> }) => {
      if (msg?.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ name, pid: child.pid ?? -1, info: msg.info ?? {}, exited, stop });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new ChildStartError(`${name} exited with code ${String(code)} before it was ready`, code));
    });
  });
}

/** Polls `url` until it answers 200 (each try bounded by 1 s), or throws after `timeoutMs`. */
export async function waitHealthy(url: string, timeoutMs = 30_000): Promise<unknown> {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return (await res.json()) as unknown;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not healthy within ${timeoutMs}ms (last: ${last})`);
}
