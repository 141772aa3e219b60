/** @module scenarios/k6: the base URL a k6-operator runner pod sends to, checked by the target guard's rules. */
import { CodeblueError } from '../../core/errors.js';
import { hostOf, isLoopbackAddress, type TargetPolicy } from '../../core/target-guard.js';

/**
 * Returns `url` (trailing slash removed) when runner pods may target it. A loopback host is refused: inside
 * a pod it is the pod itself. Any other host needs the plan's `safety.allowHosts` AND `--allow-remote`, the
 * target guard's rule. The host is compared by name, not resolved: cluster names (`svc.ns.svc`) resolve only
 * inside the cluster, and the pods, not this machine, connect.
 * `source` names where the URL came from in messages (`--base-url` or `target.baseUrl`).
 * @example checkOperatorBaseUrl('http://ehr.ward.svc:8080', { allowHosts: ['ehr.ward.svc'], allowRemote: true })
 */
export function checkOperatorBaseUrl(url: string, policy: TargetPolicy, source = '--base-url'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CodeblueError('CB_USAGE', `${source} must be an http(s) URL, but is "${url}"`, { hint: 'e.g. --base-url http://ehr.ward.svc.cluster.local:8080' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CodeblueError('CB_USAGE', `${source} must be an http(s) URL, but is "${url}"`, { hint: 'e.g. --base-url http://ehr.ward.svc.cluster.local:8080' });
  }
  const host = hostOf(url);
  if (isLoopbackAddress(host) || host.toLowerCase() === 'localhost') {
    throw new CodeblueError('CB_USAGE', `the runner pods would send to ${url} (${source}): inside a pod ${host} is the pod itself`, {
      hint: 'pass --base-url with the address the pods reach the target at, e.g. http://ehr.ward.svc.cluster.local:8080',
    });
  }
  const listed = policy.allowHosts.some((h) => h.toLowerCase() === host.toLowerCase());
  if (!listed || !policy.allowRemote) {
    throw new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to target ${url} (${source}): ${host} is not loopback`, {
      hint: listed ? 'this host is in safety.allowHosts; pass --allow-remote as well to target it' : `to target ${host}, add it to safety.allowHosts and pass --allow-remote`,
    });
  }
  return url.replace(/\/+$/, '');
}
