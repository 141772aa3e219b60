/** @module cli: the one top-level error handler: typed errors → a clean message and exit code. */
import { CommanderError } from 'commander';
import { EXIT, PlanError, formatIssue, isCodeblueError } from '../core/index.js';
import type { Output } from './ui/output.js';
import { paint } from './ui/output.js';

/** Prints `err` for a person (or as JSON) and returns the exit code to use. */
export function handleError(err: unknown, output: Output): number {
  const p = paint(output.color);
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  if (isCodeblueError(err)) {
    if (output.json) {
      const issues = err instanceof PlanError ? err.issues : undefined;
      output.out(JSON.stringify({ error: { code: err.code, message: err.message, hint: err.hint, issues } }));
    } else if (err instanceof PlanError) {
      output.err(`${p.bad('error')} ${err.code} ${err.issues.length} problem(s) in the plan`);
      for (const issue of err.issues) {
        output.err(`  ${formatIssue(issue)}`);
        if (issue.hint) output.err(`    ${p.dim('hint:')} ${issue.hint}`);
      }
    } else {
      output.err(`${p.bad('error')} ${err.code} ${err.message}`);
      if (err.hint) output.err(`  ${p.dim('hint:')} ${err.hint}`);
    }
    if (output.debug && err.stack) output.err(String(err.stack));
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (output.json) output.out(JSON.stringify({ error: { code: 'CB_INTERNAL', message } }));
  else {
    output.err(`${p.bad('error')} CB_INTERNAL unexpected failure: ${message}`);
    output.err(`  ${p.dim('hint:')} rerun with --debug for the stack trace, and report it`);
  }
  if (output.debug && err instanceof Error && err.stack) output.err(err.stack);
  return EXIT.infrastructure;
}
