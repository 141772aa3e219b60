/** @module cli: what every command gets: the output decided from the global flags, and an exit code. */
import type { Command } from 'commander';
import { createOutput, type Output } from './ui/output.js';

export interface CliContext {
  /** Output built from the global flags (`--json`, `--no-color`, `--debug`). */
  output(): Output;
  /** Sets the process exit code the command ends with. */
  setExitCode(code: number): void;
}

/** A command file registers itself on the program through one of these. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export function createContext(program: Command): CliContext {
  let cached: Output | undefined;
  return {
    output: () => (cached ??= createOutput(program.opts())),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}
