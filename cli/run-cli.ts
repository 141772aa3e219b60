/** @module cli: one invocation, in-process: arguments + terminal → output on that terminal and an exit code. */
import { buildProgram } from './program.js';
import { handleError } from './handle-error.js';
import type { Terminal } from './terminal.js';
import { createOutput } from './ui/output.js';

/**
 * Runs `codeblue <args>` against `terminal` and resolves to the exit code (0/1/2/3/130); every error,
 * usage errors included, is printed on the terminal and mapped to its code, never thrown.
 * @example await runCli(['validate', 'codeblue.yaml'], createMemoryTerminal())
 */
export async function runCli(args: readonly string[], terminal: Terminal): Promise<number> {
  const { program, ctx } = buildProgram(terminal);
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
