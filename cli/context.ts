/** @module cli: what every command gets: the terminal, the output decided from the global flags, and an exit code. */
import type { Command } from 'commander';
import { EXIT } from '../core/index.js';
import type { Terminal } from './terminal.js';
import { createOutput, type Output } from './ui/output.js';

export interface CliContext {
  /** The one terminal of this invocation: commands write, size and colour through it, never through the process. */
  readonly terminal: Terminal;
  /** Output built from the global flags (`--json`, `--no-color`, `--debug`) on this terminal. */
  output(): Output;
  /** Sets the exit code the command ends with. */
  setExitCode(code: number): void;
  /** The exit code set so far (0 when none was). */
  exitCode(): number;
}

/** A command file registers itself on the program through one of these. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export function createContext(program: Command, terminal: Terminal): CliContext {
  let cached: Output | undefined;
  let code: number = EXIT.ok;
  return {
    terminal,
    output: () => (cached ??= createOutput(program.opts(), terminal)),
    setExitCode: (next) => {
      code = next;
    },
    exitCode: () => code,
  };
}
