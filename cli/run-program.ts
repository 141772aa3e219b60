/** @module cli: runs one built program on its arguments: output on the terminal and an exit code, never a throw. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { handleError } from './handle-error.js';
import type { Terminal } from './terminal.js';
import { createOutput } from './ui/output.js';

/** Parses `args` with `built.program` and resolves to the exit code (0/1/2/3/130); every error is printed and mapped. */
export async function runProgram(args: readonly string[], terminal: Terminal, built: { program: Command; ctx: CliContext }): Promise<number> {
  const { program, ctx } = built;
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ctx.exitCode();
  } catch (err) {
    let output;
    try {
      output = ctx.output();
    } catch {
      output = createOutput({ debug: args.includes('--debug') }, terminal);
    }
    return handleError(err, output);
  }
}
