/**
 * @module demo/stack: notice when the launcher wrappers above the stack die. `npm run` forwards
 * SIGTERM only to its `sh -c`, which does not pass it on, so without this a stopped npm would
 * orphan tsx, the stack and its children.
 */
import { readFileSync } from 'node:fs';

const WRAPPER = /^(npm|npx)( |$)|npm-cli\.js|npx-cli\.js|\/\.bin\/tsx|tsx\/dist\/cli|^(\/bin\/|\/usr\/bin\/)?(sh|bash|dash) -c /;

function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces or parentheses): state, ppid, …
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Pids of the npm/sh/tsx wrappers directly above this process (empty where /proc is unavailable). */
export function launcherPids(): number[] {
  const out: number[] = [];
  try {
    for (let pid = process.ppid; pid > 1 && out.length < 6 && WRAPPER.test(cmdline(pid)); pid = parentOf(pid)) out.push(pid);
  } catch {
    // Not Linux, or the process is already gone: nothing to watch.
  }
  return out;
}

/** Calls `onGone` once when any of `pids` stops existing; checks every `intervalMs`. */
export function watchLaunchers(pids: readonly number[], onGone: (pid: number) => void, intervalMs = 1000): () => void {
  if (pids.length === 0) return () => undefined;
  const timer = setInterval(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(timer);
        onGone(pid);
        return;
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
