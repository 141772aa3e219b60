/**
 * @module run: who is alive — a pid plus its start time (Linux `/proc/PID/stat` field 22, clock ticks since boot),
 * so a pid reused by another process is not taken for the run that once had it; and the members of a process group.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of `/proc/PID/stat` after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time of `pid` in clock ticks since boot, or undefined when it is gone (or not on Linux). */
export function processStartTime(pid: number): string | undefined {
  // After "pid (comm) ", field 3 (state) is index 0, so field 22 (starttime) is index 19.
  return statFields(pid)?.[19];
}

/** Parent pid of `pid` from /proc (undefined when it is gone). */
export function parentPid(pid: number): number | undefined {
  const ppid = statFields(pid)?.[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/** True when `pid` exists and is not a zombie. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return statFields(pid)?.[0] !== 'Z';
}

/**
 * True when the very process that had `pid` at `startTime` still runs. Without a recorded start time
 * (or without /proc) only the pid is checked.
 */
export function isSameProcessAlive(pid: number, startTime: string | undefined): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !exists(pid)) return false;
  if (startTime === undefined) return true;
  const now = processStartTime(pid);
  return now === undefined || now === startTime;
}

/** Live (non-zombie) pids whose process group is `pgid`, from /proc (empty where /proc is unavailable). */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

/**
 * Kills what is left of a target's process group (SIGKILL: its codeblue is gone, nobody waits for a graceful stop).
 * Refuses when the group leader's pid now belongs to a newer process (`leaderStartTime` differs): that group is not ours.
 * @returns the pids that were signalled.
 */
export function killOrphanGroup(pgid: number, leaderStartTime: string | undefined): number[] {
  if (!Number.isInteger(pgid) || pgid <= 1) return [];
  const leader = processStartTime(pgid);
  if (leader !== undefined && leaderStartTime !== undefined && leader !== leaderStartTime) return [];
  const members = groupMembers(pgid);
  if (members.length === 0) return [];
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return [];
  }
  return members;
}

/** Pids (other than ours) whose environment holds `name=value`; only processes /proc lets us read (same user). */
function pidsWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle) && statFields(Number(entry))?.[0] !== 'Z') found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs every process carrying a dead run's target marker (and its group); returns the pids signalled. */
export function killMarked(name: string, value: string): number[] {
  const pids = pidsWithEnv(name, value);
  for (const pid of pids) {
    const pgid = Number(statFields(pid)?.[2]);
    for (const target of pgid > 1 && pgid !== process.pid ? [-pgid, pid] : [pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  return pids;
}
