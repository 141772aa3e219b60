/**
 * @module run: the target watcher — a tiny node process (plain JS, no tsx) that ends the target when codeblue dies,
 * SIGKILL included. codeblue spawns it detached BEFORE the target, with a pipe on its stdin; once the target runs,
 * codeblue writes the target's process group id into the pipe, and otherwise never writes. EOF on stdin means
 * codeblue's end of the pipe closed: it exited or was killed. Then the watcher SIGTERMs the target's group and
 * every process carrying the run's marker (`CODEBLUE_TARGET=<marker>` in its environment: this also finds a target
 * whose codeblue died while spawning it, before the group id was sent), SIGKILLs what is left after the grace
 * period, and exits. It also exits on its own once the target is gone, so it never outlives what it watches.
 * argv: <marker> [graceMs=3000]
 */
import { readdirSync, readFileSync } from 'node:fs';

const marker = process.argv[2];
const graceMs = Number(process.argv[3] ?? 3000);
if (!marker) process.exit(2);
const needle = `CODEBLUE_TARGET=${marker}`;
let pgid;

/** Pids (not ours) whose environment carries the marker; same-user processes only, as /proc allows. */
function markedPids() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // A zombie's environ reads empty, so the dead never count.
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** True while any process is in the group (ESRCH: none left; EPERM: not ours, never to be killed). */
function groupAlive() {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Like groupAlive, but zombies (dead, waiting for a reaper that may never come) do not count. */
function groupRunning() {
  if (!groupAlive()) return false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

const termed = new Set();
/** Signals the group and every marked process; SIGTERM goes once to each, so late-born children get theirs too. */
function signalAll(signal) {
  const targets = pgid === undefined ? [] : [-pgid];
  for (const pid of markedPids()) targets.push(pid);
  for (const target of targets) {
    if (signal === 'SIGTERM' && termed.has(target)) continue;
    termed.add(target);
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

let stopping = false;
function stopTarget() {
  if (stopping) return;
  stopping = true;
  signalAll('SIGTERM');
  const deadline = Date.now() + graceMs;
  const poll = setInterval(() => {
    const alive = groupRunning() || markedPids().length > 0;
    if (alive) signalAll('SIGTERM');
    if (!alive || Date.now() >= deadline) {
      if (alive) signalAll('SIGKILL');
      clearInterval(poll);
      process.exit(0);
    }
  }, 100);
}

// A terminal's Ctrl-C or hang-up is codeblue's business (it rolls back and stops the target itself).
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
let line = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  line += chunk;
  const n = Number.parseInt(line, 10);
  if (line.includes('\n') && Number.isInteger(n) && n > 1) pgid = n;
});
process.stdin.on('end', stopTarget);
process.stdin.on('close', stopTarget);
process.stdin.on('error', stopTarget);
// The target ended while codeblue lives: nothing left to watch.
setInterval(() => {
  if (!stopping && pgid !== undefined && !groupAlive()) process.exit(0);
}, 1000);
