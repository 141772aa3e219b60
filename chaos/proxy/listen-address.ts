/** @module chaos/proxy: Toxiproxy's listen-address rules (resolve localhost, report the bound address) with Go's error texts. */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ListenTarget {
  /** Host to bind ('' = all interfaces). */
  readonly host: string;
  readonly port: number;
}

/** A Go-style error text, answered as a 500 by the API (Toxiproxy does the same for non-API errors). */
export class ListenError extends Error {}

/** Splits `host:port` the way Go's `net.SplitHostPort` does. */
export function splitHostPort(address: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(address);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] as string };
  const i = address.lastIndexOf(':');
  if (i < 0 || address.indexOf(':') !== i) return undefined;
  return { host: address.slice(0, i), port: address.slice(i + 1) };
}

/** Resolves a listen string to a bind target (Go `net.ResolveTCPAddr`). */
export async function resolveListen(listen: string): Promise<ListenTarget> {
  const parts = splitHostPort(listen);
  if (!parts) throw new ListenError(`listen tcp: address ${listen}: missing port in address`);
  const port = parts.port === '' ? 0 : Number(parts.port);
  if (!/^\d*$/.test(parts.port) || port > 65535) throw new ListenError(`listen tcp: address ${listen}: invalid port`);
  if (parts.host === '' || isIP(parts.host)) return { host: parts.host, port };
  try {
    const found = await lookup(parts.host, { family: 4 }).catch(() => lookup(parts.host));
    return { host: found.address, port };
  } catch {
    throw new ListenError(`listen tcp: lookup ${parts.host}: no such host`);
  }
}

/** How Go prints a bound address: `127.0.0.1:P`, `[::1]:P`, and `[::]:P` for wildcards. */
export function formatBound(address: string, port: number): string {
  if (address === '' || address === '0.0.0.0' || address === '::') return `[::]:${port}`;
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The Go text for a failed bind. */
export function bindErrorText(listen: string, err: NodeJS.ErrnoException): string {
  const reason: Record<string, string> = {
    EADDRINUSE: 'bind: address already in use',
    EADDRNOTAVAIL: 'bind: cannot assign requested address',
    EACCES: 'bind: permission denied',
  };
  return `listen tcp ${listen}: ${reason[err.code ?? ''] ?? err.message}`;
}
