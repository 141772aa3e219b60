/**
 * @module core: the one guard every outbound connection passes through. It checks the address a host
 * RESOLVED to, at connect time, for every connection (a name checked once and resolved again later — DNS
 * rebinding — is caught), and literal IPs, which never reach a lookup.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { connect as netConnect, isIP, Socket, type LookupFunction } from 'node:net';
import { createRequire } from 'node:module';
import type { Agent, buildConnector } from 'undici';
import { CodeblueError } from './errors.js';
import { assertTargetAllowed, isLoopbackAddress, LOOPBACK_ONLY, systemResolver, type Resolver, type TargetPolicy } from './target-guard.js';

/** A connection check bound to one policy, one name service and the plan key the user would change. */
export interface NetGuard {
  readonly policy: TargetPolicy;
  /** The plan key (or flag) named in refusals, e.g. `target.baseUrl`. */
  readonly planKey: string;
  /** `dns.lookup`-compatible: resolves, then refuses (callback error) unless every address is allowed. */
  readonly lookup: LookupFunction;
  /** Resolves `target` (URL, `host:port` or host) now and throws unless allowed: a pre-check before any work; connections are checked again. */
  assertAllowed(target: string): Promise<readonly string[]>;
  /** The same guard naming another plan key in its refusals. */
  withKey(planKey: string): NetGuard;
  /** Throws `CB_TARGET_NOT_ALLOWED` unless `address` (what `host` resolved to) is allowed. */
  check(host: string, address: string): void;
  /** undici `connect` option: every connection of a Client/Pool/Agent goes through the guard. */
  connector(): buildConnector.connector;
  /** An undici Agent whose every connection is guarded (for `request`/`fetch` `dispatcher`). */
  agent(options?: Agent.Options): Agent;
  /** `net.connect` through the guard; a refused address fails the socket with the guard's error, nothing is sent. */
  connect(host: string, port: number): Socket;
}

export interface NetGuardOptions {
  readonly policy: TargetPolicy;
  readonly planKey?: string;
  /** Name → addresses; the system resolver unless a test (or a split-horizon setup) supplies another. */
  readonly resolve?: Resolver;
}

/**
 * undici, loaded on first use: `chaos serve` only dials with `connect` and would otherwise carry undici's memory
 * (issue #14's RSS goal). undici is CommonJS, so a synchronous require serves the synchronous API.
 */
let undici: typeof import('undici') | undefined;
const loadUndici = (): typeof import('undici') => (undici ??= createRequire(import.meta.url)('undici') as typeof import('undici'));

/**
 * Builds the guard. Loopback addresses always pass; any other needs the host in `policy.allowHosts`
 * AND `policy.allowRemote` (the plan's `safety.allowHosts` and `--allow-remote`).
 * @example new Client(origin, { connect: createNetGuard({ policy, planKey: 'target.baseUrl' }).connector() })
 */
export function createNetGuard(options: NetGuardOptions): NetGuard {
  const { policy, resolve } = options;
  const planKey = options.planKey ?? 'target.baseUrl';
  const check = (host: string, address: string): void => {
    const error = refusal(policy, planKey, host, address);
    if (error) throw error;
  };
  const lookup = guardedLookup(policy, planKey, resolve);
  const guard: NetGuard = {
    policy,
    planKey,
    lookup,
    assertAllowed: (target) => assertTargetAllowed(target, policy, resolve ?? systemResolver, planKey),
    withKey: (key) => createNetGuard({ ...options, planKey: key }),
    check,
    connector() {
      const base = loadUndici().buildConnector({ lookup } as buildConnector.BuildOptions);
      return (opts, callback) => {
        // Literal IPs never reach `lookup`: check them here, before any socket exists.
        const host = unbracket(opts.hostname);
        const error = isIP(host) ? refusal(policy, planKey, host, host) : undefined;
        if (error) {
          queueMicrotask(() => callback(error, null));
          return;
        }
        return base(opts, callback);
      };
    },
    agent(agentOptions = {}) {
      return new (loadUndici().Agent)({ ...agentOptions, connect: guard.connector() });
    },
    connect(rawHost, port) {
      const host = unbracket(rawHost);
      const error = isIP(host) ? refusal(policy, planKey, host, host) : undefined;
      if (error) {
        const socket = new Socket();
        process.nextTick(() => socket.destroy(error));
        return socket;
      }
      return netConnect({ host, port, lookup, noDelay: true });
    },
  };
  return guard;
}

/** The guard for code that was given none: loopback only. */
export const LOOPBACK_GUARD: NetGuard = createNetGuard({ policy: LOOPBACK_ONLY });

/** The error for `host` → `address` under `policy`, or undefined when the connection is allowed. */
function refusal(policy: TargetPolicy, planKey: string, host: string, address: string): CodeblueError | undefined {
  if (isLoopbackAddress(address)) return undefined;
  const listed = policy.allowHosts.some((h) => h.toLowerCase() === host.toLowerCase());
  if (listed && policy.allowRemote) return undefined;
  const resolved = host === address ? `${host}, which is not loopback` : `${host}, which resolved to ${address} (not loopback)`;
  return new CodeblueError('CB_TARGET_NOT_ALLOWED', `refusing to connect to ${resolved} (${planKey})`, {
    hint: listed
      ? `${host} is in safety.allowHosts; pass --allow-remote as well to reach it`
      : `change ${planKey} to a loopback address (127.0.0.1 or ::1), or add ${host} to safety.allowHosts and pass --allow-remote`,
  });
}

function unbracket(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `dns.lookup`-shaped function that refuses (as a lookup error) any resolved address the policy does not allow. */
function guardedLookup(policy: TargetPolicy, planKey: string, resolve: Resolver | undefined): LookupFunction {
  const fn = (hostname: string, rawOptions: unknown, rawCallback?: unknown): void => {
    const callback = (typeof rawOptions === 'function' ? rawOptions : rawCallback) as LookupCallback;
    const options = (typeof rawOptions === 'object' && rawOptions !== null ? rawOptions : typeof rawOptions === 'number' ? { family: rawOptions } : {}) as { all?: boolean; family?: number | string };
    const host = unbracket(hostname);
    const answer = (found: readonly LookupAddress[]): void => {
      const wanted = familyOf(options.family);
      const usable = wanted === 0 ? found : found.filter((a) => a.family === wanted);
      if (usable.length === 0) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }), []);
      for (const a of usable) {
        const error = refusal(policy, planKey, host, a.address);
        if (error) return callback(error as NodeJS.ErrnoException, []);
      }
      if (options.all === true) callback(null, [...usable]);
      else callback(null, (usable[0] as LookupAddress).address, (usable[0] as LookupAddress).family);
    };
    if (resolve === undefined) {
      dnsLookup(host, { all: true, verbatim: true }, (err, found) => (err ? callback(err, []) : answer(found)));
      return;
    }
    resolve(host).then(
      (found) => answer(found.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }))),
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
  return fn as unknown as LookupFunction;
}

function familyOf(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}
