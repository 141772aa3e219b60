/**
 * @module chaos/timeline: the few Toxiproxy calls codeblue makes, all through toxiproxy-node-client, so the same
 * code drives the embedded server or a real Toxiproxy. Client errors become CB_CHAOS_* errors.
 */
import { Toxiproxy, type ICreateProxyBody, type Proxy } from 'toxiproxy-node-client';
import { CodeblueError } from '../../core/index.js';

export function clientFor(serverUrl: string): Toxiproxy {
  return new Toxiproxy(serverUrl.replace(/\/+$/, ''));
}

/** True when the client failed with HTTP 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Error && /status code 404\b/.test(err.message);
}

/** Wraps a client failure: unreachable server vs an API error. */
export function chaosError(serverUrl: string, what: string, err: unknown): CodeblueError {
  const message = err instanceof Error ? err.message : String(err);
  if (/status code \d+/.test(message)) {
    return new CodeblueError('CB_CHAOS_API', `${what}: the chaos server at ${serverUrl} answered: ${message}`, {
      hint: 'check the proxy and fault definitions in the plan; `codeblue chaos reset` removes leftovers of an earlier run',
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
