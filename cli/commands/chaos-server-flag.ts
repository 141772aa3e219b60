/** @module cli: the `--server` / `--chaos-server` flag of chaos commands: a Toxiproxy API URL that must be loopback. */
import { CodeblueError, hostOf, isLoopbackAddress } from '../../core/index.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8474';

/** Refuses a chaos server outside loopback (the chaos API controls faults and must stay local). */
export async function assertLoopbackServer(url: string): Promise<void> {
  let host: string;
  try {
    host = hostOf(url);
  } catch {
    throw new CodeblueError('CB_USAGE', `--server must be a URL like ${DEFAULT_SERVER}, got "${url}"`);
  }
  if (host !== 'localhost' && !isLoopbackAddress(host)) {
    throw new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to drive a chaos server at ${url}: not loopback`, { hint: `use ${DEFAULT_SERVER}` });
  }
}
