/**
 * @module run: notices the death of the process that started codeblue, where that is cheap (one /proc read a second).
 * `npx codeblue run` does not pass SIGTERM on (npm exec → `sh -c` → node): when npx dies, codeblue is re-parented and
 * would carry on with the faults. The caller treats the parent's death like SIGTERM: roll back, partial results, 130.
 */
import { readFileSync } from 'node:fs';
import { isSameProcessAlive, parentPid, processStartTime } from './process-identity.js';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The processes whose death means "nobody wants this run any more": the parent, and under npm/npx (which put a
 * `sh -c` between themselves and codeblue) the shells up to and including the npm process above them.
 */
function watchedAncestors(env: NodeJS.ProcessEnv = process.env): { readonly pid: number; readonly startTime: string | undefined }[] {
  const watched = [{ pid: process.ppid, startTime: processStartTime(process.ppid) }];
  if (env.npm_command === undefined && env.npm_lifecycle_event === undefined) return watched;
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && SHELLS.has(commOf(pid) ?? ''); depth++) {
    const up = parentPid(pid);
    if (up === undefined || up <= 1) break;
    watched.push({ pid: up, startTime: processStartTime(up) });
    pid = up;
  }
  return watched;
}

/**
 * Calls `onDeath` once (with why) when the parent dies: `process.ppid` changes (re-parented to init or a subreaper)
 * or a watched ancestor is gone. Polls every `intervalMs` on an unref'd timer. Returns the function that stops watching.
 * Set CODEBLUE_IGNORE_PARENT=1 to run on after the parent exits (nohup-style).
 */
export function watchParentDeath(onDeath: (why: string) => void, intervalMs = 1000): () => void {
  if (process.env.CODEBLUE_IGNORE_PARENT === '1' || process.ppid <= 1) return () => undefined;
  const original = process.ppid;
  const watched = watchedAncestors();
  const timer = setInterval(() => {
    let why: string | undefined;
    if (process.ppid !== original) why = `parent process ${original} exited (now re-parented to ${process.ppid})`;
    else {
      const gone = watched.find((a) => !isSameProcessAlive(a.pid, a.startTime));
      if (gone) why = `ancestor process ${gone.pid} (${gone.pid === original ? 'the parent' : 'the npm/npx above it'}) exited`;
    }
    if (why === undefined) return;
    clearInterval(timer);
    onDeath(why);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
