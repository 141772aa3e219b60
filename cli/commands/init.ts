/** @module cli: `codeblue init [dir] [--template NAME]` — write a commented plan that validates, and its JSON Schema for editors. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CodeblueError, EXIT } from '../../core/index.js';
import { renderPlanJsonSchema, renderStarterPlan } from '../../plan/index.js';
import type { CliContext } from '../context.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../../docs/plan.md', import.meta.url));

/** The schema file init writes beside the plan; the plan's first line points editors at it (relative, so the folder can move). */
const SCHEMA_FILE = 'codeblue.schema.json';
const SCHEMA_LINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`;

/** Template names: the drills in examples/ (spike, ehr-outage, db-latency, dirty-data, compliance, hl7-feed, full). */
function templateNames(): string[] {
  return readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
}

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description(`write a commented plan (codeblue.yaml) and its JSON Schema (${SCHEMA_FILE}, for editor completion) into a directory; --template picks a ready drill (${templateNames().join(', ')})`)
    .argument('[dir]', 'directory to write into', '.')
    .option('--template <name>', 'a ready drill for one healthcare risk')
    .option('--force', 'overwrite an existing codeblue.yaml')
    .action(async (dir: string, opts: { force?: boolean; template?: string }) => {
      const target = join(resolve(dir), 'codeblue.yaml');
      if (existsSync(target) && !opts.force) {
        throw new CodeblueError('CB_USAGE', `${target} already exists`, { hint: 'pass --force to overwrite it, or choose another directory' });
      }
      const text = opts.template === undefined ? renderStarterPlan() : templateText(opts.template);
      await mkdir(resolve(dir), { recursive: true });
      await writeFile(target, `${SCHEMA_LINE}\n${text}`);
      await writeFile(join(resolve(dir), SCHEMA_FILE), renderPlanJsonSchema());
      const output = ctx.output();
      if (output.json) output.out(JSON.stringify({ written: target, schema: join(resolve(dir), SCHEMA_FILE), template: opts.template ?? 'starter' }));
      else output.out(`wrote ${target}${opts.template ? ` (template ${opts.template})` : ''} and ${SCHEMA_FILE}\nnext: codeblue validate ${target}\nreference: every key is in ${REFERENCE}`);
      ctx.setExitCode(EXIT.ok);
    });
}

function templateText(name: string): string {
  const names = templateNames();
  if (!names.includes(name)) {
    throw new CodeblueError('CB_USAGE', `unknown template "${name}"`, { hint: `choose one of: ${names.join(', ')}` });
  }
  return readFileSync(join(EXAMPLES, `${name}.yaml`), 'utf8');
}
