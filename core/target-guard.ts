/** @module core: the one check every room runs before sending traffic or proxying to a host. */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CodeblueError } from './errors.js';

/** What the plan and the command line allow beyond loopback. */
export interface TargetPolicy {
  /** Non-loopback hosts the plan lists under `safety.allowHosts`. */
  readonly allowHosts: readonly string[];
  /** True when the user passed `--allow-remote`. */
  readonly allowRemote: boolean;
}

export const LOOPBACK_ONLY: TargetPolicy = Object.freeze({ allowHosts: [], allowRemote: false });

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) === 6) {
    if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    return mapped !== null && (mapped[1] as string).startsWith('127.');
  }
  return false;
}

/** Splits `host:port`, `[::1]:port` or a URL into its host (brackets removed). */
export function hostOf(target: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return new URL(target).hostname.replace(/^\[|\]$/g, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(target);
  if (bracketed) return bracketed[1] as string;
  if (isIP(target) === 6) return target;
  return target.replace(/:\d+$/, '');
}

/**
 * Resolves the host of `target` (a URL, `host:port` or a bare host) and throws
 * `CB_TARGET_NOT_ALLOWED` unless every address is loopback, or the host is allow-listed
 * and remote targets were allowed. Returns the resolved addresses.
 * @example await assertTargetAllowed('http://localhost:8080', LOOPBACK_ONLY)
 */
export async function assertTargetAllowed(target: string, policy: TargetPolicy, resolve: Resolver = systemResolver, planKey?: string): Promise<readonly string[]> {
  const host = hostOf(target);
  const addresses = await resolveAll(host, resolve);
  if (addresses.every(isLoopbackAddress)) return addresses;
  const listed = policy.allowHosts.some((h) => h.toLowerCase() === host.toLowerCase());
  if (listed && policy.allowRemote) return addresses;
  const where = isIP(host) ? host : `${host} resolves to ${addresses.join(', ')}`;
  const key = planKey === undefined ? '' : ` (${planKey})`;
  throw new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to target ${target}${key}: ${where}, which is not loopback`, {
    hint: listed
      ? 'this host is in safety.allowHosts; pass --allow-remote as well to target it'
      : `codeblue only targets 127.0.0.0/8 and ::1; ${planKey === undefined ? '' : `change ${planKey}, or `}to target ${host}, add it to safety.allowHosts and pass --allow-remote`,
  });
}

/** Name → addresses; the system resolver unless a caller (e.g. a split-horizon setup) supplies another. */
export type Resolver = (host: string) => Promise<readonly string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((f) => f.address);

async function resolveAll(host: string, resolve: Resolver): Promise<readonly string[]> {
  if (isIP(host)) return [host];
  try {
    const found = await resolve(host);
    if (found.length === 0) throw new Error('no addresses');
    return found;
  } catch (err) {
    throw new CodeblueError('CB_TARGET_UNRESOLVABLE', `cannot resolve host "${host}"`, {
      hint: 'use 127.0.0.1 or a name that resolves to loopback',
      cause: err,
    });
  }
}
