/** @module cli: `codeblue init [dir]` — write a commented starter plan that validates. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CodeblueError, EXIT } from '../../core/index.js';
import { renderStarterPlan } from '../../plan/index.js';
import type { CliContext } from '../context.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('write a commented starter plan (codeblue.yaml) into a directory')
    .argument('[dir]', 'directory to write into', '.')
    .option('--force', 'overwrite an existing codeblue.yaml')
    .action(async (dir: string, opts: { force?: boolean }) => {
      const target = join(resolve(dir), 'codeblue.yaml');
      if (existsSync(target) && !opts.force) {
        throw new CodeblueError('CB_USAGE', `${target} already exists`, { hint: 'pass --force to overwrite it, or choose another directory' });
      }
      await mkdir(resolve(dir), { recursive: true });
      await writeFile(target, renderStarterPlan());
      const output = ctx.output();
      if (output.json) output.out(JSON.stringify({ written: target }));
      else output.out(`wrote ${target}\nnext: npx codeblue validate ${target}`);
      ctx.setExitCode(EXIT.ok);
    });
}
