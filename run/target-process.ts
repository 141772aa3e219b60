/**
 * @module run: starts the target's own command (`target.start`) in its own process group, watched so the group dies
 * with codeblue (SIGKILL included, see target-watcher.js), waits for its health path, stops it after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupMembers, killOrphanGroup, processStartTime } from './process-identity.js';

/** The watcher script (shipped with the package): kills the target's group when codeblue's pipe closes. */
export const TARGET_WATCHER = fileURLToPath(new URL('./target-watcher.js', import.meta.url));
/** Environment variable every process of the target inherits: `<codeblue pid>-<random>`, the target's marker. */
export const TARGET_MARKER_ENV = 'CODEBLUE_TARGET';
/** How long the watcher lets the target's group shut down after SIGTERM before SIGKILL. */
const WATCHER_GRACE_MS = 3000;
/** After the group is gone, how long its pipes are still read (the last lines in flight), ms. */
const PIPE_LINGER_MS = 1000;

/** What the run state records about the target (state.json `target`). */
export interface TargetRecord {
  readonly command: string;
  /** `CODEBLUE_TARGET=<marker>` is in the environment of every process of the target (found even if never recorded). */
  readonly marker?: string;
  readonly pgid?: number;
  readonly pgidStartTime?: string;
  readonly watcherPid?: number;
}

export interface TargetProcess {
  /** The shell's pid, which is also the target's process group id. */
  readonly pid: number | undefined;
  /** The watcher's pid (undefined if it could not start). */
  readonly watcherPid: number | undefined;
  /** Resolves with the exit code/signal if the target dies before `stop()`; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has ended. */
  hasExited(): boolean;
  /** SIGTERM to the whole process group; SIGKILL to what is left of it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartTargetOptions {
  readonly command: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** File that receives the target's stdout and stderr. */
  readonly logFile: string;
  /** Called before the spawn (command only) and right after it (process group, watcher), for the run state file. */
  readonly record?: (target: TargetRecord) => void;
}

/** Runs `command` through the shell in its own process group (so stopping reaches its children). */
export function startTarget(options: StartTargetOptions): TargetProcess {
  const marker = `${process.pid}-${randomBytes(6).toString('hex')}`;
  options.record?.({ command: options.command, marker });
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  // The watcher first: whenever the target exists, someone is watching for codeblue's death.
  const watcher = startWatcher(marker);
  const child: ChildProcess = spawn(options.command, {
    shell: true,
    detached: true,
    cwd: options.cwd,
    env: { ...process.env, ...options.env, [TARGET_MARKER_ENV]: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) watcher?.stdin?.write(`${child.pid}\n`);
  const pgidStartTime = child.pid === undefined ? undefined : processStartTime(child.pid);
  if (child.pid !== undefined) {
    options.record?.({ command: options.command, marker, pgid: child.pid, ...(pgidStartTime ? { pgidStartTime } : {}), ...(watcher?.pid ? { watcherPid: watcher.pid } : {}) });
  }
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  // The log ends once both pipes have closed — when every process holding them (the shell and whatever it started,
  // still stopping after the shell died) is gone —, never at the shell's exit: a later line would be a write after end.
  let openPipes = [child.stdout, child.stderr].filter((p) => p !== null).length;
  for (const pipe of [child.stdout, child.stderr]) pipe?.once('close', () => --openPipes === 0 && log.end());
  if (openPipes === 0) log.end();
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
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const release = (): void => {
    watcher?.stdin?.destroy(); // EOF: the watcher finds the group gone (or ends it) and exits
    // A process that left the group may still hold the pipes: stop reading them a moment after the group is gone.
    setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, PIPE_LINGER_MS).unref();
  };
  return {
    pid: child.pid,
    watcherPid: watcher?.pid,
    exited,
    hasExited: () => done,
    async stop(graceMs = 10_000) {
      if (done) {
        if (child.pid !== undefined) killOrphanGroup(child.pid, pgidStartTime); // the shell is gone, its children may not be
        release();
        return;
      }
      const deadline = performance.now() + graceMs;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // The shell usually dies at once; the services it started are still shutting down (flushing, removing files).
      if (child.pid !== undefined) await groupDrained(child.pid, deadline);
      signalGroup('SIGKILL'); // what ignored SIGTERM or outlived the grace
      release();
    },
  };
}

/** Resolves once no live process is left in group `pgid`, or at `deadline` (performance.now() time). */
async function groupDrained(pgid: number, deadline: number): Promise<void> {
  while (performance.now() < deadline && groupMembers(pgid).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the target's watcher: detached (its own group, so a terminal's Ctrl-C does not reach it), with a pipe from
 * us on its stdin that only closes when we stop the target or die. Unref'd: it never keeps us alive.
 */
function startWatcher(marker: string): ChildProcess | undefined {
  try {
    const watcher = spawn(process.execPath, [TARGET_WATCHER, marker, String(WATCHER_GRACE_MS)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    watcher.on('error', () => undefined);
    watcher.stdin?.on('error', () => undefined);
    watcher.unref();
    (watcher.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return watcher;
  } catch {
    return undefined;
  }
}
