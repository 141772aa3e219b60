/**
 * @module run/control-room: who may see and who may act. Viewing needs the run's token in the URL; an action needs
 * it in a header, from the page's own origin (CSRF), and every request must name one of our own hosts (DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header a control action carries the token in (a cross-site form or image cannot set it). */
const TOKEN_HEADER = 'x-codeblue-token';

/** A fresh per-run token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from answer times. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `host:port` forms a browser may send for this server: the listen host, plus loopback names when it is loopback. */
export function allowedHosts(listenHost: string, port: number): Set<string> {
  const hosts = new Set([hostPort(listenHost, port)]);
  if (['127.0.0.1', 'localhost', '::1'].includes(listenHost)) for (const h of ['127.0.0.1', 'localhost', '::1']) hosts.add(hostPort(h, port));
  return hosts;
}

const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Why a request may not read the page or stream, or undefined when it may. */
export function viewRefusal(headers: IncomingHttpHeaders, token: string, givenToken: string | null, hosts: ReadonlySet<string>): string | undefined {
  if (!hosts.has((headers.host ?? '').toLowerCase())) return `unknown Host header "${headers.host ?? ''}"`;
  if (givenToken === null) return 'missing token';
  return tokenMatches(givenToken, token) ? undefined : 'wrong token';
}

/** Why a control action is refused, or undefined when it may act: token header, same origin, JSON body. */
export function controlRefusal(headers: IncomingHttpHeaders, token: string, hosts: ReadonlySet<string>): string | undefined {
  const host = (headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return `unknown Host header "${headers.host ?? ''}"`;
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return `cross-site request (Sec-Fetch-Site: ${fetchSite})`;
  if (headers.origin !== `http://${host}`) return headers.origin === undefined ? 'missing Origin header' : `foreign Origin ${headers.origin}`;
  const given = headers[TOKEN_HEADER];
  if (given === undefined) return 'missing token';
  if (!tokenMatches(Array.isArray(given) ? given[0] : given, token)) return 'wrong token';
  if (!(headers['content-type'] ?? '').startsWith('application/json')) return 'body must be application/json';
  return undefined;
}
