/**
 * @module chaos/timeline: the server's own reason on a failed chaos API call. toxiproxy-node-client's stock
 * transport throws "Request failed with status code 500" and drops Toxiproxy's body
 * (`{"error":"listen tcp …: address already in use","status":500}`); codeblue's transport (guarded-api.ts) keeps it.
 */

/** A non-2xx answer of a Toxiproxy API; `reason` is the body's `error` (or its raw text). */
export class ChaosHttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    // "status code N" stays in the message: the client's callers (and isNotFound) match on it.
    super(`Request failed with status code ${status}${reason ? `: ${reason}` : ''}`);
    this.name = 'ChaosHttpError';
  }
}

/** The server's reason from an error body: Toxiproxy's `{"error": "..."}`, else the trimmed text (bounded). */
export function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: a proxy in between, or an HTML error page
  }
  return body.trim().slice(0, 300);
}
