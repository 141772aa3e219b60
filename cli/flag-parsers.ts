/** @module cli: commander option parsers shared by several commands; a bad value is commander's InvalidArgumentError (exit 2). */
import { InvalidArgumentError } from 'commander';

/** `--port 8474` → 8474; 0 picks a free port. */
export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535) throw new InvalidArgumentError(`must be a port number 0-65535, but is "${text}"`);
  return n;
}
