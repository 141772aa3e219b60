/** @module cli: the process entry point: parse, run, map every error to an exit code. */
import { buildProgram } from './program.js';
import { handleError } from './handle-error.js';
import { createOutput } from './ui/output.js';

const { program, ctx } = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  const debug = process.argv.includes('--debug');
  const output = safeOutput(debug);
  process.exitCode = handleError(err, output);
}

function safeOutput(debug: boolean) {
  try {
    return ctx.output();
  } catch {
    return createOutput({ debug });
  }
}
