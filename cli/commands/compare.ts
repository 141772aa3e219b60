/** @module cli: `codeblue compare <run-a> <run-b>` — what got better or worse; exit 1 on a regression (release gate). */
import { InvalidArgumentError } from 'commander';
import { EXIT } from '../../core/index.js';
import { compareRuns, loadRunResults, renderComparison } from '../../reports/index.js';
import type { RegisterCommand } from '../context.js';
import { paint } from '../ui/output.js';

/** `10%` or `0.1`; may exceed 100 % (a 3× slowdown is a 200 % change). */
function parseTolerance(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw new InvalidArgumentError(`must be a relative change like 10% or 0.1, but is "${text}"`);
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

export const registerCompare: RegisterCommand = (program, ctx) => {
  program
    .command('compare')
    .description('compare two runs (per SLO, endpoint p95/p99 and error rate, recovery time); exit 1 on a regression beyond the tolerance')
    .argument('<run-a>', 'the reference run folder (e.g. last release)')
    .argument('<run-b>', 'the run to judge')
    .option('--tolerance <ratio>', 'relative change allowed before it counts as a regression', parseTolerance, 0.1)
    .action((a: string, b: string, opts: { tolerance: number }) => {
      const comparison = compareRuns(loadRunResults(a), loadRunResults(b), opts.tolerance);
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify(comparison));
      else for (const line of renderComparison(comparison, a, b, paint(out.color))) out.out(line);
      ctx.setExitCode(comparison.regressions.length ? EXIT.failed : EXIT.ok);
    });
};
