/** @module cli: one invocation, in-process: arguments + terminal → output on that terminal and an exit code. */
import { buildProgram } from './program.js';
import { runProgram } from './run-program.js';
import type { Terminal } from './terminal.js';

/**
 * Runs `codeblue <args>` against `terminal` and resolves to the exit code (0/1/2/3/130); every error,
 * usage errors included, is printed on the terminal and mapped to its code, never thrown.
 * @example await runCli(['validate', 'codeblue.yaml'], createMemoryTerminal())
 */
export function runCli(args: readonly string[], terminal: Terminal): Promise<number> {
  return runProgram(args, terminal, buildProgram(terminal));
}
