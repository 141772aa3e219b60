/** @module cli: `codeblue demo [--fragile]` — the bundled demo stack drilled with the `full` template (what `npm run demo` runs). */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { uiOptions, type UiFlags } from './control-room.js';
import { runPlanFile } from './run.js';

/** The `full` template inside the installed package; runs go to ./runs of the working directory (or --out). */
const FULL_TEMPLATE = fileURLToPath(new URL('../../examples/full.yaml', import.meta.url));

export function registerDemo(program: Command, ctx: CliContext): void {
  uiOptions(program
    .command('demo')
    .description('start the bundled demo stack and run the "full" game day against it (about 2 minutes)')
    .option('--fragile', 'drill the fragile preset (resilience off): the run fails, with reasons')
    .option('--out <dir>', 'root folder for run folders', 'runs')
    .option('--json', 'ndjson events on stdout'))
    .action(async (flags: { fragile?: boolean; out: string; json?: boolean } & UiFlags) => {
      // The template's target.start is `$CODEBLUE_DEMO_STACK … --${DEMO_PRESET:-hardened}`; the target inherits our env.
      process.env.DEMO_PRESET = flags.fragile ? 'fragile' : 'hardened';
      // The stack writes its synthetic SMART client key beside the plan: a private copy of the template keeps it out
      // of the package folder (read-only in a global install) and away from other users.
      const dir = mkdtempSync(join(tmpdir(), 'codeblue-demo-'));
      try {
        const plan = join(dir, 'full.yaml');
        copyFileSync(FULL_TEMPLATE, plan);
        const code = await runPlanFile(plan, { engine: 'embedded', out: flags.out, ...(flags.json ? { json: true } : {}), ui: flags.ui, uiListen: flags.uiListen }, ctx);
        ctx.setExitCode(code);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
