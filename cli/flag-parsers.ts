/** @module cli: commander option parsers shared by several commands; a bad value is commander's InvalidArgumentError (exit 2). */
import { InvalidArgumentError } from 'commander';
import { CodeblueError } from '../core/index.js';
import { grafanaRelease } from '../dashboards/index.js';
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

/** `--grafana-version 11.6.2` → `11.6` (or `latest`); below the oldest supported release is a usage error. */
export function parseGrafanaVersion(text: string): string {
  try {
    return grafanaRelease(text).version;
  } catch (err) {
    if (err instanceof CodeblueError) throw new InvalidArgumentError(`${err.message}${err.hint ? ` (${err.hint})` : ''}`);
    throw err;
  }
}

/** The help text of every --grafana-version flag. */
export const GRAFANA_VERSION_HELP = 'Grafana release the dashboard JSON is for, major.minor or latest (default: the oldest supported, 11.0)';
