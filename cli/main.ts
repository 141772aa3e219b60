/** @module cli: the process entry point — the one place that reads the process's streams, TTY and environment. */
import { runCli } from './run-cli.js';
import { DEFAULT_COLUMNS, envFlags, type Terminal } from './terminal.js';

const env = process.env;
const terminal: Terminal = {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  columns: () => process.stdout.columns || DEFAULT_COLUMNS,
  ...envFlags(env),
  env,
  cwd: process.cwd(),
  now: Date.now,
};

process.exitCode = await runCli(process.argv.slice(2), terminal);
