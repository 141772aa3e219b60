/** @module collectors/metrics: serves a registry on `GET /metrics` for Prometheus to scrape. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeblueError } from '../../core/index.js';
import { EXPOSITION_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE } from './exposition.js';
import { wantsOpenMetrics } from './negotiate.js';
import type { MetricsRegistry } from './registry.js';

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464` (scrape `/metrics`). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the `/metrics` endpoint. Throws CB_PORT_IN_USE when the port is taken. */
export function startMetricsServer(options: { host?: string; port?: number; registry: MetricsRegistry; listenSetting?: string }): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; scrape /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const om = wantsOpenMetrics(req.headers.accept);
    const body = options.registry.render(om ? 'openmetrics' : 'text');
    res.writeHead(200, { 'content-type': om ? OPENMETRICS_CONTENT_TYPE : EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), vary: 'Accept' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new CodeblueError(err.code === 'EADDRINUSE' ? 'CB_PORT_IN_USE' : 'CB_INTERNAL', `metrics server cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, {
        hint: `change ${options.listenSetting ?? '--metrics-port'} (port 0 picks a free one), or free the port (lsof -i :${options.port ?? 0})`, cause: err,
      }));
    });
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
