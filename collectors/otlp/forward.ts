/**
 * @module collectors/otlp: relays every accepted export request, byte for byte, to an upstream OTLP/HTTP endpoint,
 * over connections checked by core's net guard (a remote collector needs allowHosts and --allow-remote).
 */
import { request, type Dispatcher } from 'undici';
import { isCodeblueError, LOOPBACK_GUARD, type NetGuard } from '../../core/index.js';

export interface ForwardStats {
  readonly forwarded: number;
  readonly failed: number;
  /** Requests not relayed because the queue was full. */
  readonly dropped: number;
  /** Relays refused by the net guard (the collector's address is not allowed); nothing was sent. */
  readonly refused: number;
  /** The guard's message for the last refusal. */
  readonly lastRefusal?: string;
}

export interface Forwarder {
  /** Queues one request body for `path` (e.g. `/v1/traces`) with its original content headers. */
  forward(path: string, body: Buffer, contentType: string, contentEncoding: string | undefined): void;
  stats(): ForwardStats;
  /** Waits for queued relays to finish (bounded by `timeoutMs`). */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * A forwarder to `baseUrl` (e.g. `http://127.0.0.1:4319`, paths appended) with at most `maxPending`
 * requests in flight; past that, relays are dropped and counted so a slow upstream cannot grow memory.
 * Every connection goes through `guard` (collectors.forward); a refused address is counted in `refused`, never sent.
 */
export function createForwarder(baseUrl: string, maxPending = 64, timeoutMs = 10_000, guard: NetGuard = LOOPBACK_GUARD): Forwarder {
  const base = baseUrl.replace(/\/+$/, '');
  const pending = new Set<Promise<void>>();
  const dispatcher: Dispatcher = guard.withKey('collectors.forward').agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let forwarded = 0;
  let failed = 0;
  let dropped = 0;
  let refused = 0;
  let lastRefusal: string | undefined;
  return {
    forward(path, body, contentType, contentEncoding) {
      if (pending.size >= maxPending) {
        dropped++;
        return;
      }
      const headers: Record<string, string> = { 'content-type': contentType };
      if (contentEncoding) headers['content-encoding'] = contentEncoding;
      const p = request(`${base}${path}`, { method: 'POST', headers, body, dispatcher, signal: AbortSignal.timeout(timeoutMs) })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode >= 200 && res.statusCode < 300) forwarded++;
          else failed++;
        })
        .catch((err: unknown) => {
          if (isCodeblueError(err)) {
            refused++;
            lastRefusal = err.message;
          } else failed++;
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    stats: () => ({ forwarded, failed, dropped, refused, ...(lastRefusal === undefined ? {} : { lastRefusal }) }),
    async drain(ms) {
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([Promise.allSettled([...pending]).then(() => undefined), deadline]);
    },
  };
}
