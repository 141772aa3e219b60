/**
 * @module chaos/timeline: finding and removing other runs' proxies on a chaos server. Every proxy a run creates is
 * named `cb-<runId>-<name>` (types.ts); `cb-manual-…` belong to `codeblue chaos apply` and are never swept.
 */
import { chaosError, clientFor, deleteProxy, proxyNames } from './server-client.js';
import { runPrefix } from './types.js';

/** Proxies of one run found on a server. */
export interface RunProxies {
  readonly runId: string;
  readonly names: readonly string[];
}

const STAMPED_RUN_ID = /^cb-(\d{8}t\d{6}-[0-9a-f]{4})-/;
const ANY_RUN_ID = /^cb-([^-]+)-/;

/** The run id in a proxy name: a known id when one matches, else codeblue's own id format, else the first segment. */
export function runIdOfProxy(name: string, knownRunIds: Iterable<string> = []): string | undefined {
  for (const id of knownRunIds) if (name.startsWith(runPrefix(id))) return id;
  return STAMPED_RUN_ID.exec(name)?.[1] ?? ANY_RUN_ID.exec(name)?.[1];
}

/**
 * Every `cb-` proxy on the server grouped by run, except manual ones and those of `exceptRunIds`.
 * Throws CB_CHAOS_* when the server cannot be read.
 */
export async function listRunProxies(serverUrl: string, knownRunIds: readonly string[], exceptRunIds: ReadonlySet<string> = new Set()): Promise<RunProxies[]> {
  let names: string[];
  try {
    names = await proxyNames(clientFor(serverUrl));
  } catch (err) {
    throw chaosError(serverUrl, 'listing proxies', err);
  }
  const byRun = new Map<string, string[]>();
  for (const name of names.sort()) {
    if (!name.startsWith('cb-') || name.startsWith(runPrefix('manual'))) continue;
    const runId = runIdOfProxy(name, knownRunIds);
    if (runId === undefined || exceptRunIds.has(runId)) continue;
    byRun.set(runId, [...(byRun.get(runId) ?? []), name]);
  }
  return [...byRun].map(([runId, list]) => ({ runId, names: list }));
}

/** Deletes the named proxies (their toxics go with them); a proxy already gone counts as removed. Throws CB_CHAOS_*. */
export async function removeProxies(serverUrl: string, names: readonly string[]): Promise<string[]> {
  const client = clientFor(serverUrl);
  const removed: string[] = [];
  try {
    for (const name of names) {
      await deleteProxy(client, name);
      removed.push(name);
    }
  } catch (err) {
    throw chaosError(serverUrl, `removing leftover proxies (${names.join(', ')})`, err);
  }
  return removed;
}
