/** @module scenarios/engine: HTTP on undici pools — one pool per origin, k6-style timings, hard timeouts and a body cap. */
import { Client, Pool, util, type buildConnector, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { TimedConnector } from './connect-timing.js';

/** What the engine sends. `path` includes the query string. */
export interface HttpRequest {
  readonly origin: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  /** Whole-request deadline (headers and body), ms. */
  readonly timeoutMs: number;
  /**
   * The VU sending it: each VU keeps its own keep-alive connection per origin (as k6 VUs do), which skips the
   * pool's per-dispatch client search. Without it the request goes through the origin's shared pool.
   */
  readonly vu?: number;
  /** Nothing reads the response: its bytes are counted, its body and headers not kept (both come back empty). */
  readonly discardBody?: boolean;
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
  /**
   * performance.now() marks: dispatched, written to a socket (after any new connection), request handed to the
   * socket, headers received, done; plus the new connection's TCP connect and TLS handshake, ms (0 when reused).
   */
  readonly t: Timeline;
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

/** The marks of one exchange (performance.now(), ms) and its connection's setup times (ms). */
export interface Timeline {
  readonly dispatched: number;
  readonly started: number;
  readonly sent: number;
  readonly headers: number;
  readonly done: number;
  readonly connecting: number;
  readonly tlsHandshaking: number;
}

export interface HttpClientOptions {
  /** Connections per origin (sized to the scenarios' max VUs). */
  readonly connections: number;
  /** Largest response body kept, bytes; larger bodies are cut and the request fails with EBODYTOOLARGE. */
  readonly maxBodyBytes: number;
  /** undici connector every connection goes through (core's net guard checks each resolved address). */
  readonly connect?: buildConnector.connector;
}

/** An in-flight exchange the client can time out or abort. */
interface Inflight {
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  abort(code: string, message: string): void;
}

const CONNECT_TIMEOUT_MS = 10_000;
const CONNECTION_OPTIONS = { pipelining: 1, keepAliveTimeout: 30_000 } as const;

/** A dispatcher and the timed connector its connections are opened through. */
interface Timed<D> {
  readonly dispatcher: D;
  readonly timing: TimedConnector;
}

/** How often whole-request deadlines are checked; undici's headersTimeout/bodyTimeout act in between. */
const DEADLINE_TICK_MS = 50;

/**
 * One undici Pool per origin (plus one Client per VU and origin for requests that name their VU); `send` never rejects — failures come back as a response with an error code.
 * Per-request costs are kept off the hot path: one deadline sweep for all requests (not a timer each) and one
 * abort listener per signal (not one per request), both over the one set of in-flight exchanges.
 */
export class HttpClient {
  private readonly pools = new Map<string, Timed<Pool>>();
  /** Per origin, one undici Client per VU id. */
  private readonly vuClients = new Map<string, Timed<Client>[]>();
  private readonly inflight = new Set<Inflight>();
  private readonly watched = new WeakSet<AbortSignal>();
  private lastWatched: AbortSignal | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  /** Set by close(): no connection is opened after it (a late send fails at once, as aborted). */
  private closed = false;

  constructor(private readonly options: HttpClientOptions) {}

  private timed(): { timing: TimedConnector; options: Client.Options } {
    const timing = new TimedConnector(this.options.connect, CONNECT_TIMEOUT_MS);
    return { timing, options: { ...CONNECTION_OPTIONS, connect: timing.connector } };
  }

  send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    if (this.closed) return Promise.resolve(abortedResponse('client closed (load ended)'));
    const { dispatcher, timing } = req.vu === undefined ? this.poolFor(req.origin) : this.clientFor(req.origin, req.vu);
    if (signal?.aborted) return Promise.resolve(abortedResponse());
    return new Promise((resolve) => {
      if (signal !== undefined && signal !== this.lastWatched) this.watch(signal);
      const x = new Exchange(req, this.options.maxBodyBytes, resolve, this.inflight, signal, timing);
      try {
        dispatcher.dispatch({ path: req.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body ?? null, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs }, x as Dispatcher.DispatchHandler);
      } catch (err) {
        x.finish('EDISPATCH', (err as Error).message);
        return;
      }
      if (x.settledSync()) return; // failed synchronously
      x.track();
      this.sweeper ??= setInterval(() => this.sweep(), DEADLINE_TICK_MS).unref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const all: Dispatcher[] = [...this.pools.values()].map((p) => p.dispatcher);
    for (const list of this.vuClients.values()) for (const c of list) if (c !== undefined) all.push(c.dispatcher);
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
    this.vuClients.clear();
  }

  /** One abort listener per signal (every VU of a scenario shares one), aborting the exchanges sent under it. */
  private watch(signal: AbortSignal): void {
    this.lastWatched = signal;
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener('abort', () => {
      for (const e of [...this.inflight]) if (e.signal === signal) e.abort('EABORTED', 'request aborted (scenario stopped)');
    }, { once: true });
  }

  private sweep(): void {
    const now = performance.now();
    for (const e of [...this.inflight]) if (now >= e.deadline) e.abort('ETIMEDOUT', 'request timed out');
  }

  private clientFor(origin: string, vu: number): Timed<Client> {
    let list = this.vuClients.get(origin);
    if (list === undefined) {
      list = [];
      this.vuClients.set(origin, list);
    }
    let client = list[vu];
    if (client === undefined) {
      const { timing, options } = this.timed();
      client = { dispatcher: new Client(origin, options), timing };
      list[vu] = client;
    }
    return client;
  }

  private poolFor(origin: string): Timed<Pool> {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      const { timing, options } = this.timed();
      pool = { dispatcher: new Pool(origin, { ...options, connections: Math.max(1, this.options.connections) }), timing };
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/**
 * One request/response on undici's dispatch API: a class, so the hot path allocates no closures. It implements
 * the raw handler hooks (`onConnect`/`onHeaders`/`onData`/`onComplete`/`onError`) that undici's clients call
 * directly: the controller-style hooks would add a wrapper and a controller per request and parse every header
 * block into an object even when nothing reads it. Headers are parsed only when the caller keeps the body.
 */
class Exchange implements Inflight {
  readonly t = { dispatched: performance.now(), started: 0, sent: 0, headers: 0, done: 0, connecting: 0, tlsHandshaking: 0 };
  readonly deadline: number;
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private headerBytes = 0;
  private status = 0;
  private headers: IncomingHttpHeaders = NO_HEADERS;
  private abortFn: ((err?: Error) => void) | undefined;
  private settled = false;
  private truncated = false;
  private tracked = false;

  constructor(
    private readonly req: HttpRequest,
    private readonly maxBody: number,
    private readonly resolve: (r: HttpResponse) => void,
    private readonly inflight: Set<Inflight>,
    readonly signal: AbortSignal | undefined,
    private readonly timing: TimedConnector,
  ) {
    this.deadline = this.t.dispatched + req.timeoutMs;
  }

  /** True when the exchange already finished (dispatch failed synchronously). */
  settledSync(): boolean {
    return this.settled;
  }

  /** Registers the exchange for deadline sweeps and signal aborts until it finishes. */
  track(): void {
    this.tracked = true;
    this.inflight.add(this);
  }

  abort(code: string, message: string): void {
    const abortFn = this.abortFn;
    this.finish(code, code === 'ETIMEDOUT' ? `request timed out after ${this.req.timeoutMs}ms` : message);
    abortFn?.(Object.assign(new Error(message), { code }));
  }

  /** The request is being written to a connection. */
  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    const t = this.t;
    t.started = performance.now();
    const setup = this.timing.take();
    t.connecting = setup.connecting;
    t.tlsHandshaking = setup.tlsHandshaking;
    if (this.settled) abort(new Error('already settled'));
  }

  /** The whole request was handed to the socket (undici calls it right after the write). */
  onRequestSent(): void {
    this.t.sent = performance.now();
  }

  onHeaders(statusCode: number, raw: Buffer[], _resume: () => void, _statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx informational
    this.status = statusCode;
    this.t.headers = performance.now();
    // Status line + `name: value\r\n` per header + the blank line, from the raw bytes.
    let n = 17;
    for (let i = 0; i < raw.length; i++) n += (raw[i] as Buffer).length + 2;
    this.headerBytes = n;
    if (this.req.discardBody !== true) this.headers = parseHeaders(raw) as IncomingHttpHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.received += chunk.length;
    if (this.received > this.maxBody) {
      this.truncated = true;
      this.chunks.push(chunk.subarray(0, Math.max(0, chunk.length - (this.received - this.maxBody))));
      const abortFn = this.abortFn;
      this.finish('EBODYTOOLARGE', `response body larger than ${this.maxBody} bytes`);
      abortFn?.(Object.assign(new Error('body too large'), { code: 'EBODYTOOLARGE' }));
      return false;
    }
    if (this.req.discardBody !== true) this.chunks.push(chunk);
    return true;
  }

  onComplete(_trailers: string[] | null): void {
    this.finish();
  }

  onError(err: Error): void {
    this.finish(mapErrorCode((err as NodeJS.ErrnoException).code, err), err.message);
  }

  finish(errorCode?: string, errorMessage?: string): void {
    if (this.settled) return;
    this.settled = true;
    if (this.tracked) {
      this.inflight.delete(this);
    }
    const t = this.t;
    t.done = performance.now();
    if (t.started === 0) t.started = t.done;
    if (t.sent === 0) t.sent = t.started;
    if (t.headers === 0) t.headers = t.done;
    const chunks = this.chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : chunks.length === 0 ? EMPTY : Buffer.concat(chunks);
    const failedResponse = errorCode !== undefined && !this.truncated;
    this.resolve({
      status: failedResponse ? 0 : this.status,
      headers: this.headers,
      body,
      truncated: this.truncated,
      t,
      bytesSent: t.started === t.done && this.status === 0 ? 0 : estimateRequestBytes(this.req),
      bytesReceived: this.headerBytes + this.received,
      // Same shape on success and failure (no spread): undefined when a response arrived.
      errorCode,
      errorMessage: errorCode === undefined ? undefined : (errorMessage ?? errorCode),
    });
  }
}

const EMPTY = Buffer.alloc(0);
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});
const parseHeaders = util.parseHeaders;

function abortedResponse(message = 'request aborted (scenario stopped)'): HttpResponse {
  const now = performance.now();
  return { status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, errorCode: 'EABORTED', errorMessage: message, t: { dispatched: now, started: now, sent: now, headers: now, done: now, connecting: 0, tlsHandshaking: 0 }, bytesSent: 0, bytesReceived: 0 };
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
