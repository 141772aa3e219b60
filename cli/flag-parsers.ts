/** @module cli: commander option parsers shared by several commands; a bad value is commander's InvalidArgumentError (exit 2). */
import { InvalidArgumentError } from 'commander';
import { parseHostPort } from '../core/schema-kit.js';

/** `--ui-listen 127.0.0.1:5665` → host and port (`[::1]:5665` for IPv6); port 0 picks a free one. */
export function parseListen(text: string): { host: string; port: number } {
  const at = parseHostPort(text);
  if (!at) throw new InvalidArgumentError(`must be host:port such as 127.0.0.1:5665, but is "${text}"`);
  return at;
}

/** `--port 8474` → 8474; 0 picks a free port. */
export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535) throw new InvalidArgumentError(`must be a port number 0-65535, but is "${text}"`);
  return n;
}
