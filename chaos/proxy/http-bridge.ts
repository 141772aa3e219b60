/**
 * @module chaos/proxy: the HTTP side of a `protocol: http` proxy. Client bytes still pass the TCP toxic chain,
 * then an in-process HTTP server parses requests, applies HTTP toxics (http_error, http_delay) per request,
 * and forwards the rest to the upstream over keep-alive connections.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { NetGuard } from '../../core/net-guard.js';
import type { Random } from '../rng.js';
import type { HttpAction } from '../toxics/toxic.js';
import type { ToxicCollection } from './toxic-collection.js';

export interface HttpBridgeDeps {
  readonly toxics: ToxicCollection;
  readonly random: Random;
  /** Current upstream `host:port`. */
  readonly upstream: () => string;
  /** Every upstream connection is dialled through it. */
  readonly guard: NetGuard;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

export class HttpBridge {
  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly deps: HttpBridgeDeps) {
    // Node's Agent dials through createConnection: routing it through the guard checks every new socket's address.
    const agent = this.agent as unknown as { createConnection: (o: { host?: string; port?: number }) => Socket };
    agent.createConnection = (o) => deps.guard.connect(o.host ?? '', Number(o.port));
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => void this.handle(req, res));
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Serves HTTP on one end of a duplex pair. */
  accept(end: Duplex): void {
    this.server.emit('connection', end);
  }

  close(): void {
    this.agent.destroy();
    this.server.close();
  }

  /** The actions of every HTTP toxic for this request, in chain order; toxicity is drawn per request. */
  private actionsFor(req: IncomingMessage): HttpAction[] {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const info = { method: (req.method ?? 'GET').toUpperCase(), path };
    const actions: HttpAction[] = [];
    for (const entry of this.deps.toxics.list()) {
      const decide = entry.definition.http;
      if (!decide || this.deps.random() >= entry.toxicity) continue;
      const action = decide(entry.attributes, info, this.deps.random);
      if (action) actions.push(action);
    }
    return actions;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const actions = this.actionsFor(req);
    const delay = actions.reduce((ms, a) => (a.kind === 'delay' ? ms + a.ms : ms), 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;
    const respond = actions.find((a) => a.kind === 'respond');
    if (respond && respond.kind === 'respond') {
      req.resume();
      res.writeHead(respond.status, { ...respond.headers, 'content-length': Buffer.byteLength(respond.body) });
      res.end(respond.body);
      return;
    }
    this.forward(req, res);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = this.deps.upstream();
    const colon = upstream.lastIndexOf(':');
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    const outgoing = httpRequest({
      host: upstream.slice(0, colon).replace(/^\[|\]$/g, ''),
      port: Number(upstream.slice(colon + 1)),
      method: req.method,
      path: req.url,
      headers,
      agent: this.agent,
    });
    outgoing.on('response', (upRes) => {
      const out = { ...upRes.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    outgoing.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('codeblue: upstream unreachable\n');
      } else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    req.pipe(outgoing);
  }
}
