/** @module scenarios/engine: HTTP on undici pools — one pool per origin, k6-style timings, hard timeouts and a body cap. */
import { Pool, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

/** What the engine sends. `path` includes the query string. */
export interface HttpRequest {
  readonly origin: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  /** Whole-request deadline (headers and body), ms. */
  readonly timeoutMs: number;
}

/** What came back; `status` 0 and an `errorCode` when no complete response arrived. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** True when the body was cut at the size cap. */
  readonly truncated: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** performance.now() marks: dispatched, written to a socket, headers received, done. */
  readonly t: { readonly dispatched: number; readonly started: number; readonly headers: number; readonly done: number };
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

export interface HttpClientOptions {
  /** Connections per origin (sized to the scenarios' max VUs). */
  readonly connections: number;
  /** Largest response body kept, bytes; larger bodies are cut and the request fails with EBODYTOOLARGE. */
  readonly maxBodyBytes: number;
}

/** One undici Pool per origin; `send` never rejects — failures come back as a response with an error code. */
export class HttpClient {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: HttpClientOptions) {}

  send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const pool = this.poolFor(req.origin);
    return new Promise((resolve) => exchange(pool, req, this.options.maxBodyBytes, signal, resolve));
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, { connections: Math.max(1, this.options.connections), pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

function exchange(pool: Pool, req: HttpRequest, maxBody: number, signal: AbortSignal | undefined, resolve: (r: HttpResponse) => void): void {
  const t = { dispatched: performance.now(), started: 0, headers: 0, done: 0 };
  const chunks: Buffer[] = [];
  let received = 0;
  let headerBytes = 0;
  let status = 0;
  let headers: IncomingHttpHeaders = {};
  let controller: Dispatcher.DispatchController | undefined;
  let settled = false;
  let truncated = false;
  const bytesSent = estimateRequestBytes(req);

  const finish = (errorCode?: string, errorMessage?: string): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    t.done = performance.now();
    if (t.started === 0) t.started = t.done;
    if (t.headers === 0) t.headers = t.done;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const failedResponse = errorCode !== undefined && !truncated;
    resolve({
      status: failedResponse ? 0 : status,
      headers,
      body,
      truncated,
      t,
      bytesSent: t.started === t.done && status === 0 ? 0 : bytesSent,
      bytesReceived: headerBytes + received,
      ...(errorCode === undefined ? {} : { errorCode, errorMessage: errorMessage ?? errorCode }),
    });
  };
  const abortWith = (code: string, message: string): void => {
    const err = Object.assign(new Error(message), { code });
    if (controller && !controller.aborted) controller.abort(err);
    finish(code, message);
  };
  const timer = setTimeout(() => abortWith('ETIMEDOUT', `request timed out after ${req.timeoutMs}ms`), req.timeoutMs);
  const onAbort = (): void => abortWith('EABORTED', 'request aborted (scenario stopped)');
  if (signal?.aborted) return onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      t.started = performance.now();
      if (settled) c.abort(new Error('already settled'));
    },
    onResponseStart(_c, statusCode, h) {
      if (statusCode < 200) return; // 1xx informational
      status = statusCode;
      headers = h;
      t.headers = performance.now();
      headerBytes = 17;
      for (const k in h) headerBytes += k.length + 4 + String(h[k]).length;
    },
    onResponseData(c, chunk) {
      received += chunk.length;
      if (received > maxBody) {
        truncated = true;
        chunks.push(chunk.subarray(0, Math.max(0, chunk.length - (received - maxBody))));
        c.abort(Object.assign(new Error('body too large'), { code: 'EBODYTOOLARGE' }));
        finish('EBODYTOOLARGE', `response body larger than ${maxBody} bytes`);
        return;
      }
      chunks.push(chunk);
    },
    onResponseEnd() {
      finish();
    },
    onResponseError(_c, err) {
      const code = (err as NodeJS.ErrnoException).code;
      finish(mapErrorCode(code, err), err.message);
    },
  };
  try {
    pool.dispatch({ path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body ?? null, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs }, handler);
  } catch (err) {
    finish('EDISPATCH', (err as Error).message);
  }
}

/** undici's error codes → the short codes k6 users know from `error_code` tags. */
function mapErrorCode(code: string | undefined, err: Error): string {
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'ETIMEDOUT';
    case 'UND_ERR_SOCKET':
      return 'ECONNRESET';
    case undefined:
      return err.name === 'AbortError' ? 'EABORTED' : 'EUNKNOWN';
    default:
      return code.startsWith('UND_ERR_') ? code.slice(8) : code;
  }
}

/** Request line + headers + body, as written on the wire (HTTP/1.1). */
function estimateRequestBytes(req: HttpRequest): number {
  let n = req.method.length + req.path.length + 13 + 6 + req.origin.length;
  for (const k in req.headers) n += k.length + 4 + (req.headers[k] as string).length;
  if (req.body !== undefined) n += Buffer.byteLength(req.body) + 20;
  return n + 2;
}
