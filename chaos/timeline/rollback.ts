/** @module chaos/timeline: removes everything with a run's prefix, then reads the server back as proof. */
import type { Toxiproxy } from 'toxiproxy-node-client';
import { CodeblueError, type JournalEntry } from '../../core/index.js';
import { chaosError, deleteProxy, proxyNames } from './server-client.js';

export interface RollbackResult {
  readonly removed: readonly string[];
  /** Empty when the rollback is proven clean. */
  readonly leftovers: readonly string[];
}

export interface RollbackDeps {
  readonly client: Toxiproxy;
  readonly serverUrl: string;
  readonly prefix: string;
  readonly log: (fields: Omit<JournalEntry, 'time' | 'offsetMs'>) => void;
}

/**
 * Deletes every proxy named `prefix…` (their toxics go with them), then lists the server again.
 * Throws CB_CHAOS_ROLLBACK_INCOMPLETE when anything is left, after journalling what.
 */
export async function rollbackRun(deps: RollbackDeps): Promise<RollbackResult> {
  const { client, prefix, log } = deps;
  log({ action: 'rollback-start', outcome: 'ok', reason: `removing proxies named ${prefix}*` });
  const removed: string[] = [];
  let leftovers: string[] = [];
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const mine = (await proxyNames(client)).filter((n) => n.startsWith(prefix));
      if (mine.length === 0) break;
      for (const name of mine) {
        if (await deleteProxy(client, name)) {
          removed.push(name);
          log({ action: 'proxy-delete', proxy: name, outcome: 'ok' });
        }
      }
    }
    leftovers = (await proxyNames(client)).filter((n) => n.startsWith(prefix));
  } catch (err) {
    const error = chaosError(deps.serverUrl, 'rolling back', err);
    log({ action: 'rollback-verified', outcome: 'error', error: error.message });
    throw error;
  }
  if (leftovers.length > 0) {
    log({ action: 'rollback-verified', outcome: 'error', leftovers, error: `${leftovers.length} proxies left` });
    throw new CodeblueError('CB_CHAOS_ROLLBACK_INCOMPLETE', `rollback left ${leftovers.join(', ')} on ${deps.serverUrl}`, {
      hint: `run \`codeblue chaos reset --server ${deps.serverUrl} --prefix ${prefix}\``,
    });
  }
  log({ action: 'rollback-verified', outcome: 'ok', leftovers: [] });
  return { removed, leftovers };
}

/** `codeblue chaos reset`: removes leftovers by prefix (or every proxy with `all`), then verifies. */
export async function resetLeftovers(client: Toxiproxy, serverUrl: string, options: { prefix: string; all: boolean }): Promise<RollbackResult> {
  const removed: string[] = [];
  try {
    const match = (n: string): boolean => options.all || n.startsWith(options.prefix);
    for (const name of (await proxyNames(client)).filter(match)) if (await deleteProxy(client, name)) removed.push(name);
    const leftovers = (await proxyNames(client)).filter(match);
    return { removed, leftovers };
  } catch (err) {
    throw chaosError(serverUrl, 'resetting', err);
  }
}
