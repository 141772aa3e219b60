/**
 * @module run: finds and removes what dead runs left behind — their proxies on a chaos server and their target's
 * process group — and says so. Used at the start and end of every run, by `codeblue chaos reset` and `codeblue cleanup`.
 * A run is dead when its state file's pid is gone (or now belongs to a newer process); a `cb-` proxy on a server is
 * a leftover when no live run owns it.
 */
import { join } from 'node:path';
import { listRunProxies, removeProxies } from '../chaos/index.js';
import { describeError, hostOf, isLoopbackAddress } from '../core/index.js';
import { isSameProcessAlive, killMarked, killOrphanGroup } from './process-identity.js';
import { TARGET_MARKER_ENV } from './target-process.js';
import { listRunStates, markCleaned, STATE_FILE, type RunStateRecord } from './run-state.js';

/** One dead run (or one unknown run id on a server) and what was removed of it. */
export interface LeftoverRun {
  readonly runId: string;
  /** Where it was found: the state file, or the chaos server holding proxies no live run owns. */
  readonly foundIn: string;
  /** The chaos server its proxies were removed from (absent when it had none there). */
  readonly server?: string;
  readonly removedProxies: readonly string[];
  /** The target's process group, and the pids of it that were still running and got SIGKILL. */
  readonly pgid?: number;
  readonly killedPids: readonly number[];
  /** What could not be done (nothing, when empty). */
  readonly problems: readonly string[];
  /** Facts worth saying that are not problems (e.g. the embedded server ended with its run). */
  readonly notes: readonly string[];
}

export interface CleanupReport {
  readonly runs: readonly LeftoverRun[];
  /** Unfinished runs whose codeblue process is still alive: left alone. */
  readonly liveRuns: readonly string[];
  readonly serversChecked: readonly string[];
  /** Servers that did not answer (a Toxiproxy that is not running holds no proxies). */
  readonly serversDown: readonly string[];
  /** Servers that could not be checked, with why. */
  readonly problems: readonly string[];
}

export interface CleanupOptions {
  /** Root of run folders whose `state.json` files are read (besides the per-user registry). */
  readonly outRoot?: string;
  /** Chaos servers to sweep for `cb-` proxies of runs that are not alive. */
  readonly servers?: readonly string[];
  /** Runs never treated as leftovers (the calling run itself). */
  readonly exceptRunIds?: readonly string[];
}

const isLoopbackUrl = (url: string): boolean => {
  try {
    const host = hostOf(url);
    return host === 'localhost' || isLoopbackAddress(host);
  } catch {
    return false;
  }
};
const unreachable = (err: unknown): boolean => (err as { code?: string }).code === 'CB_CHAOS_SERVER_UNREACHABLE';

/** Finds leftovers of dead runs and removes them; never throws (what fails is in `problems`). */
export async function cleanLeftovers(options: CleanupOptions = {}): Promise<CleanupReport> {
  const states = listRunStates(options.outRoot);
  const except = new Set(options.exceptRunIds ?? []);
  const live = new Set<string>(except);
  const runs: LeftoverRun[] = [];
  for (const [runId, { record, files }] of states) {
    if (except.has(runId) || isSameProcessAlive(record.pid, record.pidStartTime)) {
      live.add(runId);
      continue;
    }
    const run = await cleanDeadRun(record, join(record.runDir, STATE_FILE));
    runs.push(run);
    if (run.problems.length === 0) markCleaned(record, files);
  }
  const known = [...states.keys()];
  const servers = [...new Set([...(options.servers ?? []), ...runs.flatMap((r) => (r.server ? [r.server] : []))])];
  const problems: string[] = [];
  const checked: string[] = [];
  const down: string[] = [];
  for (const server of servers) {
    if (!isLoopbackUrl(server)) {
      problems.push(`${server}: not a loopback address, not swept (use \`codeblue chaos reset --server\` on that machine)`);
      continue;
    }
    try {
      for (const group of await listRunProxies(server, known, live)) {
        runs.push({ runId: group.runId, foundIn: server, server, removedProxies: await removeProxies(server, group.names), killedPids: [], problems: [], notes: ['no live codeblue run owns them'] });
      }
      checked.push(server);
    } catch (err) {
      if (unreachable(err)) down.push(server);
      else problems.push(`${server}: ${describeError(err)}`);
    }
  }
  return { runs, liveRuns: [...live].filter((id) => !except.has(id)), serversChecked: checked, serversDown: down, problems };
}

async function cleanDeadRun(record: RunStateRecord, stateFile: string): Promise<LeftoverRun> {
  const problems: string[] = [];
  const notes: string[] = [];
  let killedPids: number[] = [];
  const pgid = record.target?.pgid;
  if (pgid !== undefined) killedPids = killOrphanGroup(pgid, record.target?.pgidStartTime);
  // Processes of the target that left its group, or whose group id was never recorded (killed mid-spawn).
  const marker = record.target?.marker;
  if (marker) killedPids = [...new Set([...killedPids, ...killMarked(TARGET_MARKER_ENV, marker)])];
  let removedProxies: string[] = [];
  const chaos = record.chaos;
  if (chaos?.embedded) notes.push('its embedded chaos server ended with it');
  else if (chaos && !isLoopbackUrl(chaos.url)) problems.push(`its chaos server ${chaos.url} is not loopback: run \`codeblue chaos reset --server ${chaos.url} --prefix ${chaos.prefix}\` there`);
  else if (chaos) {
    try {
      const mine = (await listRunProxies(chaos.url, [record.runId])).filter((g) => g.runId === record.runId).flatMap((g) => g.names);
      removedProxies = await removeProxies(chaos.url, mine);
    } catch (err) {
      // A server that no longer answers holds no proxies: they lived in its process.
      if (unreachable(err)) notes.push(`its chaos server ${chaos.url} no longer answers (its proxies went with it)`);
      else problems.push(describeError(err));
    }
  }
  return {
    runId: record.runId, foundIn: stateFile, ...(chaos && !chaos.embedded ? { server: chaos.url } : {}), removedProxies,
    ...(pgid !== undefined ? { pgid } : {}), killedPids, problems, notes,
  };
}

/** Human lines: which run, what was removed, from where; empty when nothing was found. */
export function describeCleanup(report: CleanupReport): string[] {
  const lines: string[] = [];
  for (const run of report.runs) {
    const did: string[] = [];
    if (run.removedProxies.length > 0) did.push(`removed ${run.removedProxies.length} proxies from ${run.server}: ${run.removedProxies.join(', ')}`);
    if (run.killedPids.length > 0) did.push(`killed its target's processes (group ${run.pgid ?? 'unrecorded'}: ${run.killedPids.join(', ')})`);
    if (did.length === 0) did.push('nothing of it was left');
    lines.push(`leftovers of dead run ${run.runId} (found in ${run.foundIn}): ${[...did, ...run.notes].join('; ')}`);
    for (const problem of run.problems) lines.push(`could not clean run ${run.runId}: ${problem}`);
  }
  for (const problem of report.problems) lines.push(`could not check ${problem}`);
  return lines;
}
