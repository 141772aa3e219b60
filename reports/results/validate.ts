/** @module reports/results: checks a value against the results.json contract. */
import { CodeblueError } from '../../core/index.js';
import { runResultsSchema } from './schema.js';
import type { RunResults } from './types.js';

export type ResultsCheck = { readonly ok: true; readonly value: RunResults } | { readonly ok: false; readonly issues: readonly string[] };

/** Validates parsed JSON as RunResults; issues read `path: message`. */
export function checkResults(value: unknown): ResultsCheck {
  const parsed = runResultsSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

/** Like checkResults, but throws CB_RESULTS_INVALID naming the first problems. */
export function assertResults(value: unknown, where: string): RunResults {
  const checked = checkResults(value);
  if (checked.ok) return checked.value;
  const shown = checked.issues.slice(0, 5).join('; ');
  throw new CodeblueError('CB_RESULTS_INVALID', `${where} is not valid results.json: ${shown}${checked.issues.length > 5 ? ` (+${checked.issues.length - 5} more)` : ''}`, {
    hint: 'results.json is written by `codeblue run`; re-run the game day, or restore the file from the run folder',
  });
}
