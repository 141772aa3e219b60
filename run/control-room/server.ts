/**
 * @module run/control-room: the live control room's HTTP server — the page, its script and stylesheet, the event
 * stream (one snapshot a second, built once for every open page), the two controls, and report.html once written.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertListenAllowed, CodeblueError, type TargetPolicy } from '../../core/index.js';
import { BodyError, readBody } from '../../core/http-body.js';
import type { RunResults } from '../../reports/index.js';
import type { RunEvent } from '../events.js';
import type { RunOperator } from '../operator-desk.js';
import { allowedHosts, controlRefusal, newToken, viewRefusal } from './access.js';
import { FAVICON_SVG, PAGE_CSP, PAGE_CSS, pageHtml, REPORT_CSP, securityHeaders } from './page.js';
import { createRoomFeed } from './room-feed.js';
import { createStreams, type StreamCost } from './streams.js';

const CLIENT_JS = readFileSync(new URL('./client.js', import.meta.url), 'utf8');
const MAX_BODY_BYTES = 1024;
/** Refused requests journaled per run; past it they are only counted (a scanner must not flood the journal). */
const MAX_REFUSALS_JOURNALED = 50;

export interface ControlRoomOptions {
  /** `--ui-listen`: loopback unless the plan's safety rules allow the host. Port 0 picks a free one. */
  readonly host: string;
  readonly port: number;
  /** The plan's `safety.allowHosts` and `--allow-remote`, as for every other listener of the run. */
  readonly policy: TargetPolicy;
  /** What to call the listen address in errors (`--ui-listen`). */
  readonly setting: string;
  /** Page title until the plan is known. */
  readonly title: string;
  /** How often the open pages get a snapshot (ms); 1000 by default. */
  readonly intervalMs?: number;
}

export interface ControlRoom {
  /** The page's URL with the run's token: the one address to share with the room. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** Pass as `GameDayOptions.onOperator`. */
  attach(operator: RunOperator): void;
  /** Pass every run event (progress before the phases, steady-state probes). */
  onEvent(event: RunEvent): void;
  /** The run is written: show its verdict and serve `reportFile` as /report.html. */
  finish(results: RunResults, reportFile: string | undefined): void;
  /** Open event streams (pages) right now. */
  streams(): number;
  /** What the event streams cost this process so far (snapshots built, ms building and writing them). */
  cost(): StreamCost;
  close(): Promise<void>;
}

export async function startControlRoom(options: ControlRoomOptions): Promise<ControlRoom> {
  await assertListenAllowed(options.host, options.policy, options.setting);
  const token = newToken();
  const feed = createRoomFeed();
  const streams = createStreams(() => feed.snapshot(), options.intervalMs ?? 1000);
  let reportFile: string | undefined;
  let refusals = 0;
  let hosts = new Set<string>();

  const refuse = (req: IncomingMessage, res: ServerResponse, why: string, what: string): void => {
    const op = feed.operator();
    if (op && ++refusals <= MAX_REFUSALS_JOURNALED) op.note('error', `refused ${what}: ${why}`, { client: clientOf(req), path: pathOf(req), method: req.method ?? '' });
    json(res, 403, { message: `forbidden: ${why}` });
  };

  async function control(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    const why = controlRefusal(req.headers, token, hosts);
    if (why) return refuse(req, res, why, `control ${action}`);
    let body: { fault?: unknown };
    try {
      body = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8') || '{}') as { fault?: unknown };
    } catch (err) {
      return json(res, 400, { message: err instanceof BodyError && err.failure === 'tooLarge' ? 'body too large' : 'body must be a JSON object' });
    }
    const op = feed.operator();
    if (!op) return json(res, 409, { message: 'no run is live: it has not started yet or has ended' });
    if (action === 'halt') {
      const outcome = op.halt(clientOf(req));
      json(res, outcome.status, { message: outcome.message });
    } else {
      if (typeof body.fault !== 'string' || body.fault === '') return json(res, 400, { message: 'send {"fault": "<name>"}' });
      const outcome = await op.endFault(body.fault, clientOf(req));
      json(res, outcome.status, { message: outcome.message });
    }
    streams.pushNow();
  }

  function view(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const why = viewRefusal(req.headers, token, url.searchParams.get('token'), hosts);
    if (why) return refuse(req, res, why, `${url.pathname}`);
    if (url.pathname === '/events') return (securityHeaders(res, PAGE_CSP), streams.add(res));
    if (url.pathname === '/report.html') {
      if (!reportFile) return text(res, 404, 'report.html is written when the run ends', PAGE_CSP);
      return send(res, 200, 'text/html; charset=utf-8', readFileSync(reportFile), REPORT_CSP);
    }
    send(res, 200, 'text/html; charset=utf-8', pageHtml(options.title), PAGE_CSP);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control-room.invalid');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /app.js') return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_JS, PAGE_CSP);
    if (route === 'GET /style.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS, PAGE_CSP);
    if (route === 'GET /favicon.svg' || route === 'GET /favicon.ico') return send(res, 200, 'image/svg+xml', FAVICON_SVG, PAGE_CSP);
    if (route === 'GET /' || route === 'GET /events' || route === 'GET /report.html') return view(req, res, url);
    if (route === 'POST /control/halt' || route === 'POST /control/end-fault') {
      return void control(req, res, url.pathname.slice('/control/'.length)).catch((err: unknown) => json(res, 500, { message: String(err) }));
    }
    text(res, 404, 'not found', PAGE_CSP);
  });
  const address = await listen(server, options);
  hosts = allowedHosts(options.host === 'localhost' ? '127.0.0.1' : options.host, address.port);
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${shown}:${address.port}`;
  return {
    url: `${origin}/?token=${token}`, origin, token,
    attach: (op) => feed.attach(op),
    onEvent: (e) => feed.onEvent(e),
    finish(results, file) {
      reportFile = file;
      feed.finish(results, file ? '/report.html' : undefined);
      streams.pushNow();
    },
    streams: () => streams.count(),
    cost: () => streams.cost(),
    async close() {
      streams.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: ReturnType<typeof createServer>, o: ControlRoomOptions): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE'
      ? new CodeblueError('CB_PORT_IN_USE', `the control room cannot listen on ${o.host}:${o.port}: address in use`, { hint: `pick another port with ${o.setting} (${o.host}:0 picks a free one)`, cause: err })
      : err));
    server.listen(o.port, o.host, () => resolve(server.address() as AddressInfo));
  });
}

const clientOf = (req: IncomingMessage): string => `${req.socket.remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`;
const pathOf = (req: IncomingMessage): string => (req.url ?? '/').replace(/token=[^&]*/g, 'token=…');

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp: string): void {
  securityHeaders(res, csp);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const text = (res: ServerResponse, status: number, body: string, csp: string): void => send(res, status, 'text/plain; charset=utf-8', body, csp);
const json = (res: ServerResponse, status: number, body: unknown): void => send(res, status, 'application/json', JSON.stringify(body), PAGE_CSP);
