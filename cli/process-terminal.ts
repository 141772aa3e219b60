/** @module cli: the process's terminal — the one place that reads the process's streams, TTY and environment. */
import { DEFAULT_COLUMNS, envFlags, type Terminal } from './terminal.js';

/** The Terminal of this process, for the process entries (`main.ts`, `serve-main.ts`). */
export function processTerminal(): Terminal {
  const env = process.env;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    columns: () => process.stdout.columns || DEFAULT_COLUMNS,
    ...envFlags(env),
    env,
    cwd: process.cwd(),
    now: Date.now,
  };
}
