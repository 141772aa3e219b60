/** @module cli: the commander program with its global flags and every command. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { createContext, type CliContext } from './context.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Builds the `codeblue` program. Usage errors throw `CommanderError` (exit 2). */
export function buildProgram(): { program: Command; ctx: CliContext } {
  const program = new Command('codeblue')
    .description('Game days for healthcare platforms: load, faults, traces and SLO reports in one run.')
    .version(pkg.version, '-V, --version')
    .option('--json', 'machine-readable output (JSON / ndjson)')
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1)')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const ctx = createContext(program);
  for (const register of COMMANDS) register(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  return { program, ctx };
}
