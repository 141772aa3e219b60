/**
 * @module chaos/timeline: the few Toxiproxy calls codeblue makes, all through toxiproxy-node-client, so the same
 * code drives the embedded server or a real Toxiproxy. Client errors become CB_CHAOS_* errors.
 */
import { Toxiproxy, type ICreateProxyBody, type Proxy } from 'toxiproxy-node-client';
import { CodeblueError, isCodeblueError, LOOPBACK_GUARD, type NetGuard } from '../../core/index.js';
import { GuardedToxiproxyApi } from './guarded-api.js';
import { ChaosHttpError } from './reason-http.js';

/** A client whose every call connects through `guard` and whose errors carry the server's own reason (default: loopback only, naming `chaos.server`). */
export function clientFor(serverUrl: string, guard: NetGuard = LOOPBACK_GUARD.withKey('chaos.server')): Toxiproxy {
  const client = new Toxiproxy(serverUrl.replace(/\/+$/, ''));
  client.api = new GuardedToxiproxyApi(guard) as unknown as Toxiproxy['api'];
  return client;
}

/** True when the client failed with HTTP 404. */
function isNotFound(err: unknown): boolean {
  return err instanceof Error && /status code 404\b/.test(err.message);
}

/** Wraps a client failure: unreachable server vs an API error (with the server's own reason). */
export function chaosError(serverUrl: string, what: string, err: unknown): CodeblueError {
  if (isCodeblueError(err)) return err; // the net guard refused the server: its message names host and plan key
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ChaosHttpError) {
    const inUse = /address already in use/i.test(err.reason);
    return new CodeblueError('CB_CHAOS_API', `${what}: the chaos server at ${serverUrl} answered status code ${err.status}: ${err.reason || '(no reason given)'}`, {
      hint: inUse
        ? 'the listen address is taken, often by the proxies of an earlier run that was killed: run `codeblue cleanup` (or `codeblue chaos reset`), or change proxies[].listen'
        : 'check the proxy and fault definitions in the plan; leftovers of another run? run `codeblue cleanup`',
      cause: err,
    });
  }
  if (/status code \d+/.test(message)) {
    return new CodeblueError('CB_CHAOS_API', `${what}: the chaos server at ${serverUrl} answered: ${message}`, {
      hint: 'check the proxy and fault definitions in the plan; leftovers of another run? run `codeblue cleanup`',
      cause: err,
    });
  }
  return new CodeblueError('CB_CHAOS_SERVER_UNREACHABLE', `${what}: cannot reach the chaos server at ${serverUrl} (${message})`, {
    hint: 'start one with `codeblue chaos serve`, or fix chaos.server in the plan',
    cause: err,
  });
}

/** Creates a proxy; `protocol` is sent only for http proxies (a field only codeblue's server reads). */
export async function createProxy(client: Toxiproxy, body: ICreateProxyBody & { protocol?: 'http' }): Promise<Proxy> {
  return client.createProxy(body);
}

/** Deletes a proxy by name; a missing one counts as deleted. */
export async function deleteProxy(client: Toxiproxy, name: string): Promise<boolean> {
  try {
    const proxy = await client.get(name);
    await proxy.remove();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Names of every proxy on the server. */
export async function proxyNames(client: Toxiproxy): Promise<string[]> {
  return Object.keys(await client.getAll());
}
