/**
 * @module cli: where a run folder's /metrics listens — for `codeblue dashboard prometheus-config --run <dir>`.
 * The journal's `listening` line is written as the run starts (so a running game day already has it);
 * results.json has the same URL once the run ended.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CodeblueError } from '../../core/index.js';
import { parseJournal } from '../../dashboards/index.js';

/** A run's scrape target (`host:port`) and run id. */
export interface RunMetricsTarget {
  readonly target: string;
  readonly runId: string;
}

/** True when `value` names an existing directory (a run folder), not a bare run id. */
export function isRunFolder(value: string): boolean {
  return existsSync(value) && statSync(value).isDirectory();
}

/** Reads the run's /metrics URL and id; CB_USAGE (exit 2) when the folder is no run or its run served no /metrics. */
export function metricsTargetOfRun(dir: string): RunMetricsTarget {
  const results = readJson(join(dir, 'results.json')) as { meta?: { runId?: string; metricsUrl?: string } } | undefined;
  const state = readJson(join(dir, 'state.json')) as { runId?: string } | undefined;
  const journalFile = join(dir, 'journal.ndjson');
  const listening = existsSync(journalFile)
    ? parseJournal(readFileSync(journalFile, 'utf8'), journalFile).find((e) => e.action === 'listening')
    : undefined;
  const fromJournal = listening?.attributes?.metricsUrl;
  const url = typeof fromJournal === 'string' ? fromJournal : results?.meta?.metricsUrl;
  const runId = results?.meta?.runId ?? state?.runId;
  if (runId === undefined) {
    throw new CodeblueError('CB_USAGE', `--run ${dir} is a folder but not a run folder (no results.json, state.json or journal)`, {
      hint: 'pass a folder under runs/ written by `codeblue run`, or a bare run id with --target',
    });
  }
  if (url === undefined) {
    throw new CodeblueError('CB_USAGE', `run ${runId} in ${dir} served no /metrics endpoint`, {
      hint: 'set collectors.metricsListen in the plan (e.g. 127.0.0.1:9464) for the next run, or pass --target host:port',
    });
  }
  return { target: new URL(url).host, runId };
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CodeblueError('CB_USAGE', `${file} is not valid JSON: ${(err as Error).message}`, { hint: 'is this a run folder written by codeblue?', cause: err });
  }
}
