/**
 * @module core: the one rule for every listener codeblue opens (chaos API, proxies, OTLP receiver, /metrics):
 * loopback unless the host is allow-listed AND remote was allowed — the same policy as outbound connections.
 */
import { isIP } from 'node:net';
import { CodeblueError } from './errors.js';
import { isLoopbackAddress, systemResolver, type Resolver, type TargetPolicy } from './target-guard.js';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '0:0:0:0:0:0:0:0', '*']);

/**
 * Throws `CB_TARGET_NOT_ALLOWED` (exit 2) unless `host` (a listen host, brackets allowed; `''`, `0.0.0.0` and `::`
 * mean every interface) binds loopback only, or it is in `policy.allowHosts` and `policy.allowRemote` is set.
 * `planKey` names what the user should change (`collectors.otlpListen`, `--host`).
 * @example await assertListenAllowed('127.0.0.1', LOOPBACK_ONLY, 'chaos.listen')
 */
export async function assertListenAllowed(rawHost: string, policy: TargetPolicy, planKey: string, resolve: Resolver = systemResolver): Promise<void> {
  const host = rawHost.replace(/^\[|\]$/g, '').trim();
  const listed = policy.allowHosts.some((h) => h.toLowerCase() === host.toLowerCase());
  if (listed && policy.allowRemote) return;
  let addresses: readonly string[];
  if (WILDCARDS.has(host)) addresses = [];
  else if (isIP(host)) addresses = [host];
  else addresses = await resolve(host).catch(() => []);
  if (addresses.length > 0 && addresses.every(isLoopbackAddress)) return;
  const why = WILDCARDS.has(host)
    ? 'that is every network interface, not loopback'
    : addresses.length === 0 ? 'it does not resolve' : `it resolves to ${addresses.join(', ')}, which is not loopback`;
  throw new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to listen on ${host === '' ? '(all interfaces)' : host} (${planKey}): ${why}`, {
    hint: listed
      ? `${host} is in safety.allowHosts; pass --allow-remote as well to listen on it`
      : `set ${planKey} to 127.0.0.1 (or ::1); to listen on ${host || 'all interfaces'}, add "${host}" to safety.allowHosts and pass --allow-remote`,
  });
}
