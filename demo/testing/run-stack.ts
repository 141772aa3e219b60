/** @module demo/testing: `demo/stack.ts` as a real child process — wait for its ready line, stop it, find its children. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running stack. */
export interface StackProcess {
  readonly child: ChildProcess;
  /** The line printed on readiness. */
  readonly readyLine: string;
  /** Everything the stack wrote on stderr so far (for failure messages). */
  stderr(): string;
  /** Direct children of the stack: `node` ones are the demo services (tsx may add an esbuild helper). */
  childPids(): { pid: number; command: string }[];
  /** Sends `signal` and resolves with the exit code (SIGKILL after 15 s). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Every descendant pid of `root` (from one `ps` snapshot). */
export function descendantPids(root: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  for (let frontier = [root]; frontier.length > 0; ) {
    const next = rows.filter(([, ppid]) => frontier.includes(ppid ?? -1)).map(([pid]) => pid ?? -1);
    out.push(...next);
    frontier = next;
  }
  return out;
}

/**
 * Starts the stack and resolves at its `demo stack ready` line: `node --import tsx demo/stack.ts …`
 * by default, or through `npm run demo:stack -- …` as a user would.
 */
export function startStack(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000, launcher: 'node' | 'npm' = 'node'): Promise<StackProcess> {
  const [cmd, argv] = launcher === 'npm' ? ['npm', ['run', '--silent', 'demo:stack', '--', ...args]] : [process.execPath, ['--import', 'tsx', 'demo/stack.ts', ...args]];
  const child = spawn(cmd, argv, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`stack not ready within ${timeoutMs}ms:\n${err}`));
    }, timeoutMs);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('demo stack ready'));
      if (!line) return;
      clearTimeout(timer);
      resolve({
        child,
        readyLine: line,
        stderr: () => err,
        childPids: () =>
          execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(child.pid)], { encoding: 'utf8' })
            .split('\n')
            .map((line) => /^\s*(\d+)\s+(\S+)/.exec(line))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => ({ pid: Number(m[1]), command: m[2] ?? '' })),
        stop,
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${String(code)} before ready:\n${err}`));
    });
  });
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids still alive after waiting up to `timeoutMs` for them all to exit. */
export async function stillAliveAfter(pids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  for (const until = Date.now() + timeoutMs; pids.some(isAlive) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(isAlive);
}
