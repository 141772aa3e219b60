/** @module cli: `codeblue validate <plan>` — check a plan and show what it will do. */
import type { Command } from 'commander';
import { EXIT } from '../../core/index.js';
import { loadPlan } from '../../plan/index.js';
import { assertTargetPortFree } from '../../run/index.js';
import type { CliContext } from '../context.js';
import { paint } from '../ui/output.js';
import { renderPlanSummary } from '../ui/plan-summary.js';

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('validate a plan and print its resolved timeline (exit 0 valid, 2 invalid, 3 when target.start is set but its port is already served)')
    .argument('<plan>', 'path of the plan file (codeblue.yaml)')
    .option('--json', 'print the resolved plan as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const plan = await loadPlan(file);
      // `run` would refuse it before starting anything: a stale process on the port is never taken for the target.
      if (plan.target.start) await assertTargetPortFree(plan.target.baseUrl);
      const output = ctx.output();
      if (opts.json || output.json) output.out(JSON.stringify({ valid: true, plan }, null, 2));
      else {
        for (const line of renderPlanSummary(plan, paint(output.color))) output.out(line);
        output.out(`\n   ${paint(output.color).ok('✓')} plan is valid`);
      }
      ctx.setExitCode(EXIT.ok);
    });
}
