/** @module reports/results: reads and validates a run folder's results.json. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CodeblueError } from '../../core/index.js';
import type { RunResults } from './types.js';
import { upgradeResults } from './upgrade.js';
import { assertResults } from './validate.js';

/** `runDir` is a run folder (or a results.json path). Throws CB_RUN_DIR_INVALID / CB_RESULTS_INVALID (exit 2). */
export function loadRunResults(runDir: string): RunResults {
  let stat;
  try {
    stat = statSync(runDir);
  } catch {
    throw new CodeblueError('CB_RUN_DIR_INVALID', `run folder ${runDir} does not exist`, { hint: 'pass a folder under runs/, e.g. runs/2026-11-25T10-02-ehr-outage-drill' });
  }
  const file = stat.isDirectory() ? join(runDir, 'results.json') : runDir;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CodeblueError('CB_RUN_DIR_INVALID', `${file} is missing: ${runDir} is not a finished run folder`, {
      hint: 'results.json is written at the end of `codeblue run`; an interrupted run that got no results cannot be re-rendered',
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CodeblueError('CB_RESULTS_INVALID', `${file} is not JSON: ${(err as Error).message}`, { hint: 'restore results.json from the run folder, or re-run the game day' });
  }
  return assertResults(upgradeResults(doc), file);
}
