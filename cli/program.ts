/** @module cli: the commander program with its global flags and every command, bound to one terminal. */
import type { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './context.js';
import { createProgram } from './create-program.js';
import type { Terminal } from './terminal.js';

/** Builds the `codeblue` program on `terminal`. Usage errors throw `CommanderError` (exit 2). */
export function buildProgram(terminal: Terminal): { program: Command; ctx: CliContext } {
  return createProgram(terminal, COMMANDS);
}
