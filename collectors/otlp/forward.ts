/** @module collectors/otlp: relays every accepted export request, byte for byte, to an upstream OTLP/HTTP endpoint. */

export interface ForwardStats {
  readonly forwarded: number;
  readonly failed: number;
  /** Requests not relayed because the queue was full. */
  readonly dropped: number;
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
 */
export function createForwarder(baseUrl: string, maxPending = 64, timeoutMs = 10_000): Forwarder {
  const base = baseUrl.replace(/\/+$/, '');
  const pending = new Set<Promise<void>>();
  let forwarded = 0;
  let failed = 0;
  let dropped = 0;
  return {
    forward(path, body, contentType, contentEncoding) {
      if (pending.size >= maxPending) {
        dropped++;
        return;
      }
      const headers: Record<string, string> = { 'content-type': contentType };
      if (contentEncoding) headers['content-encoding'] = contentEncoding;
      const p = fetch(`${base}${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.ok) forwarded++;
          else failed++;
        })
        .catch(() => {
          failed++;
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    stats: () => ({ forwarded, failed, dropped }),
    async drain(ms) {
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([Promise.allSettled([...pending]).then(() => undefined), deadline]);
    },
  };
}
