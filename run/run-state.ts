/**
 * @module run: the run's state file — what this run is about to create (proxies on which chaos server, the target's
 * process group) and who runs it (pid + start time), written BEFORE each thing exists, so that after a SIGKILL the
 * next run, `codeblue chaos reset` and `codeblue cleanup` can find and remove what it left.
 *
 * Two copies, both written atomically (temp file + rename): `state.json` in the run folder, and one in a per-user
 * registry of unfinished runs (`$TMPDIR/codeblue-<uid>/runs/<runId>.json`), so a run is known to be alive
 * whatever its `--out` folder. A clean finish marks `state.json` finished and removes the registry copy.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from './process-identity.js';

export const STATE_FILE = 'state.json';

/** What `state.json` holds. Public shape: cleanup reads files written by other (older) codeblue processes. */
export interface RunStateRecord {
  readonly version: 1;
  readonly runId: string;
  readonly runDir: string;
  /** codeblue's own pid and its start time (ticks since boot, /proc/PID/stat field 22). */
  readonly pid: number;
  readonly pidStartTime?: string;
  readonly startedAt: string;
  readonly finished: boolean;
  readonly status?: string;
  /** Recorded before the first proxy is created: every proxy of the run is named `prefix…`. */
  readonly chaos?: { readonly url: string; readonly prefix: string; readonly proxies: readonly string[]; readonly embedded: boolean };
  /** Recorded before the target starts (`command`), then its process group and watcher once spawned. */
  readonly target?: { readonly command: string; readonly marker?: string; readonly pgid?: number; readonly pgidStartTime?: string; readonly watcherPid?: number };
}

export interface RunState {
  readonly file: string;
  current(): RunStateRecord;
  /** Merges `patch` into the record and writes both copies (atomically) before returning. */
  record(patch: Partial<Pick<RunStateRecord, 'chaos' | 'target'>>): void;
  /** Marks the run finished (clean exit): `state.json` says so and the registry copy goes. */
  finish(status: string): void;
}

/** The per-user registry of unfinished runs (overridable for tests with CODEBLUE_STATE_DIR). */
function registryDir(): string {
  if (process.env.CODEBLUE_STATE_DIR) return process.env.CODEBLUE_STATE_DIR;
  let user = 'user';
  try {
    user = String(userInfo().uid);
  } catch {
    // no passwd entry: one shared name is still fine (run ids are unique)
  }
  return join(tmpdir(), `codeblue-${user}`, 'runs');
}

/** Write temp + rename: a reader never sees half a file, even if we are killed mid-write. */
function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Starts the state of a run whose folder exists; written at once (pid, start time, not finished). */
export function openRunState(runDir: string, runId: string): RunState {
  const file = join(runDir, STATE_FILE);
  const registry = registryDir();
  const registered = join(registry, `${runId}.json`);
  const pidStartTime = processStartTime(process.pid);
  let state: RunStateRecord = {
    version: 1, runId, runDir, pid: process.pid, ...(pidStartTime ? { pidStartTime } : {}), startedAt: new Date().toISOString(), finished: false,
  };
  const write = (): void => {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    writeAtomic(file, text);
    // The registry copy only helps other processes see this run alive; a read-only $TMPDIR must not stop the run.
    if (!state.finished) {
      try {
        mkdirSync(registry, { recursive: true });
        writeAtomic(registered, text);
      } catch {
        // state.json in the run folder still records everything
      }
    }
  };
  write();
  return {
    file,
    current: () => state,
    record(patch) {
      state = { ...state, ...patch };
      write();
    },
    finish(status) {
      state = { ...state, finished: true, status };
      write();
      try {
        rmSync(registered, { force: true });
      } catch {
        // a stale registry copy is marked cleaned by the next cleanup (its pid is gone by then)
      }
    },
  };
}

/** Reads a state file; undefined when missing or not a codeblue state. */
function readRunState(file: string): RunStateRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as RunStateRecord;
    return parsed && parsed.version === 1 && typeof parsed.runId === 'string' && typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every unfinished state known: the registry, plus `state.json` of each run folder under `outRoot`. Keyed by run id. */
export function listRunStates(outRoot: string | undefined): Map<string, { readonly record: RunStateRecord; readonly files: readonly string[] }> {
  const found = new Map<string, { record: RunStateRecord; files: string[] }>();
  const add = (file: string): void => {
    const record = readRunState(file);
    if (!record || record.finished) return;
    const seen = found.get(record.runId);
    // The copies are written together; keep the one with more recorded (the later write).
    if (!seen) found.set(record.runId, { record, files: [file] });
    else {
      seen.files.push(file);
      if (JSON.stringify(record).length > JSON.stringify(seen.record).length) seen.record = record;
    }
  };
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const name of list(registryDir())) if (name.endsWith('.json')) add(join(registryDir(), name));
  if (outRoot) for (const name of list(outRoot)) add(join(outRoot, name, STATE_FILE));
  return found;
}

/** Marks a dead run's state files as cleaned up (state.json finished; the registry copy removed). */
export function markCleaned(record: RunStateRecord, files: readonly string[]): void {
  const done = `${JSON.stringify({ ...record, finished: true, status: 'cleaned-up-after-crash' }, null, 2)}\n`;
  for (const file of files) {
    if (file.startsWith(registryDir())) rmSync(file, { force: true });
    else {
      try {
        writeAtomic(file, done);
      } catch {
        // the run folder went away meanwhile: nothing to mark
      }
    }
  }
}
