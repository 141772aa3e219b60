/**
 * @module chaos/api: `startChaosServer`: the embedded Toxiproxy-compatible HTTP API (Toxiproxy v2.12.0 routes,
 * status codes, JSON and error texts) in front of codeblue's TCP/HTTP proxy core.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CodeblueError } from '../../core/errors.js';
import { createNetGuard } from '../../core/net-guard.js';
import { BodyError, readBody } from '../../core/http-body.js';
import { ProxyMetrics } from '../proxy/metrics.js';
import { nativeRelay } from '../proxy/native-relay.js';
import { seededRandom } from '../rng.js';
import { asApiError, ApiError } from './api-error.js';
import { ConnectionGate, DEFAULT_GATE_LIMITS, type GateLimits } from './connection-gate.js';
import { goJson } from './render.js';
import { ProxyRegistry } from './registry.js';
import { ROUTES, type Reply } from './routes.js';

export interface ChaosServerOptions {
  /** Loopback host to listen on (the CLI refuses others). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Seeds toxicity, jitter and slicer draws (Toxiproxy's `-seed` has no effect; this one does). */
  readonly seed?: number;
  /** Aborting closes the server. */
  readonly signal?: AbortSignal;
  /** What sets the address, named in the port-in-use hint: `--port` (default, `chaos serve`) or a plan key. */
  readonly listenSetting?: string;
  /**
   * Non-loopback upstream hosts proxies may forward to (`codeblue chaos serve --allow-upstream HOST`); names
   * are matched as written, as in `safety.allowHosts`. Listen addresses stay loopback. Default: none.
   */
  readonly allowUpstreamHosts?: readonly string[];
  /**
   * Relay toxic-less TCP connections on the native relay's thread when it was built (default true); false keeps
   * every byte on the JS relay. `CODEBLUE_NATIVE_RELAY=off` in the environment does the same for a whole process.
   */
  readonly nativeRelay?: boolean;
  /** Backpressure per API connection (tests shrink it); default DEFAULT_GATE_LIMITS. */
  readonly gateLimits?: GateLimits;
}

/** Open API connections and what they hold: requests waiting for their turn and unsent answer bytes. */
interface ChaosServerLoad {
  readonly apiConnections: number;
  readonly queuedRequests: number;
  readonly bufferedBytes: number;
}

export interface ChaosServer {
  /** `http://host:port`, for toxiproxy-node-client. */
  readonly url: string;
  readonly port: number;
  /** Which relay moves the bytes of toxic-less TCP connections: `native` (the addon's thread) or `js`. */
  readonly relay: 'native' | 'js';
  /** Closes the API, every proxy and every connection. */
  close(): Promise<void>;
  /** @internal Open sockets, for leak checks in tests. */
  stats(): Promise<{ readonly apiConnections: number; readonly proxyConnections: number }>;
  /** @internal What the API connections hold right now, for the backpressure tests. */
  load(): ChaosServerLoad;
}

const MAX_BODY_BYTES = 1 << 20;

/** Starts the server; rejects with CB_PORT_IN_USE when the port is taken. */
export async function startChaosServer(options: ChaosServerOptions): Promise<ChaosServer> {
  const metrics = new ProxyMetrics();
  const allowHosts = options.allowUpstreamHosts ?? [];
  const upstreamPolicy = { allowHosts, allowRemote: allowHosts.length > 0 };
  // The same policy is checked when a proxy is created and again, on the resolved address, at every upstream dial.
  const relay = options.nativeRelay === false ? undefined : nativeRelay();
  const registry = new ProxyRegistry({ random: seededRandom(options.seed), metrics, upstreamPolicy, guard: createNetGuard({ policy: upstreamPolicy, planKey: 'proxies[].upstream (--allow-upstream)' }),
    relay,
  });
  // Mutations run one at a time, like Toxiproxy's collection locks.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const gates = new Map<Socket, ConnectionGate>();
  const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 30_000 }, (req, res) => {
    const gate = gates.get(req.socket);
    void (async () => {
      // One answer at a time per connection, and only while the client takes them (see connection-gate.ts).
      if (gate && (await gate.enter()) === 'closed') return;
      res.once('close', () => gate?.leave());
      await handle(req, res, registry, metrics, serial);
    })().catch(() => {
      if (!res.headersSent) sendError(res, new ApiError('internal error', 500));
      else res.destroy();
    });
  });
  // Node's own 'connection' listener runs first, so the gate sees a socket the HTTP parser already owns.
  server.on('connection', (socket: Socket) => {
    gates.set(socket, new ConnectionGate(socket, options.gateLimits ?? DEFAULT_GATE_LIMITS));
    socket.once('close', () => gates.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new CodeblueError('CB_PORT_IN_USE', `cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}`, {
          hint: `change ${options.listenSetting ?? '--port'} (port 0 picks a free one), or stop the other Toxiproxy (lsof -i :${options.port})`,
          cause: err,
        }),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.disposeAll();
    })());
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  const stats = async (): Promise<{ apiConnections: number; proxyConnections: number }> => ({
    apiConnections: await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n))),
    proxyConnections: registry.list().reduce((n, p) => n + p.connectionCount, 0),
  });
  const load = (): ChaosServerLoad => {
    let queuedRequests = 0;
    let bufferedBytes = 0;
    for (const gate of gates.values()) {
      const l = gate.load();
      queuedRequests += l.queued;
      bufferedBytes += l.bufferedBytes;
    }
    return { apiConnections: gates.size, queuedRequests, bufferedBytes };
  };
  return { url: `http://${host}:${port}`, port, relay: relay ? 'native' : 'js', close, stats, load };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  registry: ProxyRegistry,
  metrics: ProxyMetrics,
  serial: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  const matching = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m !== null);
  if (matching.length === 0) return sendText(res, 404, '404 page not found\n');
  const hit = matching.find((x) => x.r.methods.includes(method));
  // gorilla/mux: a known path with another method is a bare 405, without the middleware's headers.
  if (!hit) return void res.writeHead(405).end();
  res.setHeader('X-Toxiproxy-Request-Id', randomBytes(10).toString('hex'));
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) return sendText(res, 403, 'User agent not allowed\n');
  let params: string[];
  try {
    params = (hit.m as RegExpExecArray).slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return sendText(res, 404, '404 page not found\n');
  }
  const body = (): Promise<string> => readText(req);
  const run = (): Promise<Reply> => hit.r.handler({ registry, metrics, params, body });
  try {
    const reply = method === 'GET' ? await run() : await serial(run);
    send(res, reply);
  } catch (err) {
    req.resume();
    sendError(res, asApiError(err));
  }
}

/** The body as text under core's capped reader; too large is Toxiproxy's 400 (Go's MaxBytesReader text). */
function readText(req: IncomingMessage): Promise<string> {
  return readBody(req, MAX_BODY_BYTES).then(
    (body) => body.toString('utf8'),
    (err: unknown) => {
      throw err instanceof BodyError && err.failure === 'tooLarge' ? new ApiError('bad request body: http: request body too large', 400) : err;
    },
  );
}

function send(res: ServerResponse, reply: Reply): void {
  if ('empty' in reply) return void res.writeHead(reply.status).end();
  if ('text' in reply) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType });
    return void res.end(reply.text);
  }
  res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json' });
  res.end(goJson(reply.json));
}

/** Go `http.Error`: text/plain, nosniff, a trailing newline; Toxiproxy puts its JSON error inside. */
function sendError(res: ServerResponse, err: ApiError): void {
  sendText(res, err.status, `${goJson({ error: err.message, status: err.status })}\n`);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
