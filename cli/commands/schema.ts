/** @module cli: `codeblue schema` — print the JSON Schema of the plan (for editors and other tools). */
import type { Command } from 'commander';
import { EXIT } from '../../core/index.js';
import { renderPlanJsonSchema } from '../../plan/index.js';
import type { CliContext } from '../context.js';

export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of the plan (codeblue.yaml); editors use it through "# yaml-language-server: $schema=…"')
    .action(() => {
      ctx.output().out(renderPlanJsonSchema().trimEnd());
      ctx.setExitCode(EXIT.ok);
    });
}
