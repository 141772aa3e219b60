/**
 * @module chaos/api: `startChaosServer`: the embedded Toxiproxy-compatible HTTP API (Toxiproxy v2.12.0 routes,
 * status codes, JSON and error texts) in front of codeblue's TCP/HTTP proxy core.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CodeblueError } from '../../core/index.js';
import { ProxyMetrics } from '../proxy/metrics.js';
import { seededRandom } from '../rng.js';
import { asApiError, ApiError } from './api-error.js';
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
}

export interface ChaosServer {
  /** `http://host:port`, for toxiproxy-node-client. */
  readonly url: string;
  readonly port: number;
  /** Closes the API, every proxy and every connection. */
  close(): Promise<void>;
  /** @internal Open sockets, for leak checks in tests. */
  stats(): Promise<{ readonly apiConnections: number; readonly proxyConnections: number }>;
}

const MAX_BODY_BYTES = 1 << 20;

/** Starts the server; rejects with CB_PORT_IN_USE when the port is taken. */
export async function startChaosServer(options: ChaosServerOptions): Promise<ChaosServer> {
  const metrics = new ProxyMetrics();
  const registry = new ProxyRegistry({ random: seededRandom(options.seed), metrics });
  // Mutations run one at a time, like Toxiproxy's collection locks.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 30_000 }, (req, res) => {
    void handle(req, res, registry, metrics, serial).catch(() => {
      if (!res.headersSent) sendError(res, new ApiError('internal error', 500));
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new CodeblueError('CB_PORT_IN_USE', `cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}`, {
          hint: 'pass another --port (0 picks a free one), or stop the other Toxiproxy',
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
  return { url: `http://${host}:${port}`, port, close, stats };
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
  const body = (): Promise<string> => readBody(req);
  const run = (): Promise<Reply> => hit.r.handler({ registry, metrics, params, body });
  try {
    const reply = method === 'GET' ? await run() : await serial(run);
    send(res, reply);
  } catch (err) {
    req.resume();
    sendError(res, asApiError(err));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new ApiError('bad request body: http: request body too large', 400));
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
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
