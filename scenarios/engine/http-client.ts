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

/** An in-flight exchange the client can time out or abort. */
interface Inflight {
  readonly deadline: number;
  abort(code: string, message: string): void;
}

/** How often whole-request deadlines are checked; undici's headersTimeout/bodyTimeout act in between. */
const DEADLINE_TICK_MS = 50;

/**
 * One undici Pool per origin; `send` never rejects — failures come back as a response with an error code.
 * Per-request costs are kept off the hot path: one deadline sweep for all requests (not a timer each) and one
 * abort listener per signal (not one per request).
 */
export class HttpClient {
  private readonly pools = new Map<string, Pool>();
  private readonly inflight = new Set<Inflight>();
  private readonly bySignal = new WeakMap<AbortSignal, Set<Inflight>>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: HttpClientOptions) {}

  send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const pool = this.poolFor(req.origin);
    if (signal?.aborted) return Promise.resolve(abortedResponse());
    return new Promise((resolve) => {
      const own = signal === undefined ? undefined : this.watch(signal);
      let entry: Inflight | undefined;
      let finished = false;
      const settle = (r: HttpResponse): void => {
        finished = true;
        if (entry) {
          this.inflight.delete(entry);
          own?.delete(entry);
        }
        resolve(r);
      };
      entry = exchange(pool, req, this.options.maxBodyBytes, settle);
      if (finished) return; // failed synchronously (dispatch threw)
      this.inflight.add(entry);
      own?.add(entry);
      this.sweeper ??= setInterval(() => this.sweep(), DEADLINE_TICK_MS).unref();
    });
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
  }

  private watch(signal: AbortSignal): Set<Inflight> {
    let set = this.bySignal.get(signal);
    if (set === undefined) {
      const created = new Set<Inflight>();
      set = created;
      this.bySignal.set(signal, created);
      signal.addEventListener('abort', () => {
        for (const e of [...created]) e.abort('EABORTED', 'request aborted (scenario stopped)');
      }, { once: true });
    }
    return set;
  }

  private sweep(): void {
    const now = performance.now();
    for (const e of [...this.inflight]) if (now >= e.deadline) e.abort('ETIMEDOUT', 'request timed out');
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

function exchange(pool: Pool, req: HttpRequest, maxBody: number, resolve: (r: HttpResponse) => void): Inflight {
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
  const inflight: Inflight = {
    deadline: t.dispatched + req.timeoutMs,
    abort(code, message) {
      const err = Object.assign(new Error(message), { code });
      if (controller && !controller.aborted) controller.abort(err);
      finish(code, code === 'ETIMEDOUT' ? `request timed out after ${req.timeoutMs}ms` : message);
    },
  };

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
  return inflight;
}

function abortedResponse(): HttpResponse {
  const now = performance.now();
  return { status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, errorCode: 'EABORTED', errorMessage: 'request aborted (scenario stopped)', t: { dispatched: now, started: now, headers: now, done: now }, bytesSent: 0, bytesReceived: 0 };
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
