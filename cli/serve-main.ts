/**
 * @module cli: the lean process entry of `codeblue chaos serve` (bin/ picks it for that command): the same global
 * flags and `serve` command, without loading the other commands' rooms, so a standalone server stays small.
 */
import { registerChaosServeOnly } from './commands/chaos-serve.js';
import { processTerminal } from './process-terminal.js';
import { createProgram } from './create-program.js';
import { runProgram } from './run-program.js';

const terminal = processTerminal();
process.exitCode = await runProgram(process.argv.slice(2), terminal, createProgram(terminal, [registerChaosServeOnly]));
