/** @module core: a located problem in a plan file, and the error that carries several of them. */
import { CodeblueError } from './errors.js';

/** One problem found in a plan, with where it is. Lines and columns are 1-based. */
export interface PlanIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted key path, e.g. `scenarios.clinicians.executor`. Empty for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** Formats one issue as `file:line:col path: message`. */
export function formatIssue(issue: PlanIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

/** A plan that did not validate; carries every issue found, sorted by position. */
export class PlanError extends CodeblueError {
  readonly issues: readonly PlanIssue[];

  constructor(issues: readonly PlanIssue[]) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    const first = sorted[0];
    const head = first ? formatIssue(first) : 'the plan is invalid';
    const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : '';
    super('CB_PLAN_INVALID', `${head}${more}`, {
      hint: first?.hint ?? 'fix the plan and run `codeblue validate` again',
    });
    this.name = 'PlanError';
    this.issues = sorted;
  }
}
