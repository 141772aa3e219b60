/** @module cli: the commander program with its global flags and a given list of commands, bound to one terminal. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { createContext, type CliContext, type RegisterCommand } from './context.js';
import type { Terminal } from './terminal.js';
import { colorChoice } from './ui/output.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Builds the `codeblue` program with `commands` on `terminal`. Usage errors throw `CommanderError` (exit 2). */
export function createProgram(terminal: Terminal, commands: readonly RegisterCommand[]): { program: Command; ctx: CliContext } {
  const program = new Command('codeblue')
    .description('Game days for healthcare platforms: load, faults, traces and SLO reports in one run.')
    .version(pkg.version, '-V, --version')
    .option('--json', 'machine-readable output (JSON / ndjson)')
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1)')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Before any subcommand exists: commander copies this configuration into each one it creates.
  const hasColors = (): boolean => colorChoice(program.opts(), terminal);
  program.configureOutput({
    writeOut: (text) => void terminal.stdout.write(text),
    writeErr: (text) => void terminal.stderr.write(text),
    getOutHelpWidth: () => terminal.columns(),
    getErrHelpWidth: () => terminal.columns(),
    getOutHasColors: hasColors,
    getErrHasColors: hasColors,
  });
  const ctx = createContext(program, terminal);
  for (const register of commands) register(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  return { program, ctx };
}
