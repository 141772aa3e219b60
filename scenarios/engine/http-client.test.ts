import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConnector } from 'undici';
import { HttpClient, type Timeline } from './http-client.js';

let server: Server;
let origin: string;
const remotePorts = new Set<number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    remotePorts.add(req.socket.remotePort ?? 0);
    if (req.url === '/hang') return; // never answers
    const body = req.url === '/big' ? Buffer.alloc(64 * 1024, 120) : Buffer.from(`{"path":"${req.url}","tp":"${String(req.headers.traceparent)}"}`);
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-cb': 'yes', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HttpClient', () => {
  it('keeps body and parsed headers when asked, and only counts them with discardBody', { timeout: 10_000 }, async () => {
    const client = new HttpClient({ connections: 4, maxBodyBytes: 1024 * 1024 });
    try {
      const kept = await client.send({ origin, method: 'GET', path: '/a', headers: { traceparent: 'tp-1' }, timeoutMs: 5000 });
      expect(kept.status).toBe(200);
      expect(kept.headers['x-cb']).toBe('yes');
      expect(JSON.parse(kept.body.toString('utf8'))).toEqual({ path: '/a', tp: 'tp-1' });
      const discarded = await client.send({ origin, method: 'GET', path: '/a', headers: { traceparent: 'tp-1' }, timeoutMs: 5000, discardBody: true });
      expect(discarded.status).toBe(200);
      expect(discarded.body.length).toBe(0);
      expect(discarded.headers['x-cb']).toBeUndefined();
      // Same response on the wire: the same byte count either way (headers + body).
      expect(discarded.bytesReceived).toBe(kept.bytesReceived);
      expect(kept.bytesReceived).toBeGreaterThan(kept.body.length + 50);
      const big = await client.send({ origin, method: 'GET', path: '/big', headers: {}, timeoutMs: 5000, discardBody: true });
      expect(big.bytesReceived).toBeGreaterThan(64 * 1024);
      const missing = await client.send({ origin, method: 'GET', path: '/missing', headers: {}, timeoutMs: 5000, discardBody: true });
      expect(missing.status).toBe(404);
      expect(missing.errorCode).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('gives each VU its own keep-alive connection', { timeout: 10_000 }, async () => {
    const client = new HttpClient({ connections: 3, maxBodyBytes: 1024 });
    remotePorts.clear();
    try {
      for (let round = 0; round < 3; round++) {
        await Promise.all([1, 2, 3].map((vu) => client.send({ origin, method: 'GET', path: `/vu${vu}`, headers: {}, timeoutMs: 5000, vu, discardBody: true })));
      }
      expect(remotePorts.size).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('times out, cuts oversize bodies and reports aborts as responses with error codes', { timeout: 10_000 }, async () => {
    const client = new HttpClient({ connections: 2, maxBodyBytes: 1000 });
    try {
      const hung = await client.send({ origin, method: 'GET', path: '/hang', headers: {}, timeoutMs: 200, vu: 1 });
      expect(hung.status).toBe(0);
      expect(hung.errorCode).toBe('ETIMEDOUT');
      const cut = await client.send({ origin, method: 'GET', path: '/big', headers: {}, timeoutMs: 5000, vu: 2 });
      expect(cut.errorCode).toBe('EBODYTOOLARGE');
      expect(cut.truncated).toBe(true);
      expect(cut.body.length).toBe(1000);
      const stop = new AbortController();
      const pending = client.send({ origin, method: 'GET', path: '/hang', headers: {}, timeoutMs: 5000, vu: 1 }, stop.signal);
      setTimeout(() => stop.abort(), 50);
      expect((await pending).errorCode).toBe('EABORTED');
      // The VU's connection is usable again after the abort.
      expect((await client.send({ origin, method: 'GET', path: '/a', headers: {}, timeoutMs: 5000, vu: 1 })).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it('opens no connection after close: a late send fails at once as aborted', { timeout: 10_000 }, async () => {
    const client = new HttpClient({ connections: 2, maxBodyBytes: 1024 });
    expect((await client.send({ origin, method: 'GET', path: '/a', headers: {}, timeoutMs: 5000, vu: 1 })).status).toBe(200);
    await client.close();
    const before = remotePorts.size;
    for (const vu of [1, 2, undefined]) {
      const late = await client.send({ origin, method: 'GET', path: '/late', headers: {}, timeoutMs: 5000, ...(vu === undefined ? {} : { vu }) });
      expect(late.errorCode).toBe('EABORTED');
      expect(late.bytesSent).toBe(0);
    }
    expect(remotePorts.size).toBe(before);
  });

  it('times a new connection (connect; TLS on https) on the request that opened it, and zeros on a reused one', { timeout: 20_000 }, async () => {
    const http = new HttpClient({ connections: 1, maxBodyBytes: 1024 });
    const certDir = mkdtempSync(join(tmpdir(), 'cb-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1',
      '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
    const tlsServer = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    // The self-signed test certificate is accepted by this connector only.
    const https = new HttpClient({ connections: 1, maxBodyBytes: 1024, connect: buildConnector({ rejectUnauthorized: false }) });
    const tlsOrigin = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
    const ordered = (t: Timeline): void => {
      expect(t.dispatched).toBeLessThanOrEqual(t.started);
      expect(t.started).toBeLessThanOrEqual(t.sent);
      expect(t.sent).toBeLessThanOrEqual(t.headers);
      expect(t.headers).toBeLessThanOrEqual(t.done);
    };
    try {
      for (const [client, at, isTls] of [[http, origin, false], [https, tlsOrigin, true]] as const) {
        const first = await client.send({ origin: at, method: 'POST', path: '/a', headers: {}, body: '{"a":1}', timeoutMs: 5000, vu: 1 });
        const second = await client.send({ origin: at, method: 'GET', path: '/a', headers: {}, timeoutMs: 5000, vu: 1 });
        expect([first.status, second.status]).toEqual([200, 200]);
        ordered(first.t);
        ordered(second.t);
        expect(first.t.connecting).toBeGreaterThan(0);
        expect(first.t.started - first.t.dispatched).toBeGreaterThanOrEqual(first.t.connecting + first.t.tlsHandshaking);
        if (isTls) expect(first.t.tlsHandshaking).toBeGreaterThan(0);
        else expect(first.t.tlsHandshaking).toBe(0);
        expect(first.t.sent).toBeGreaterThan(first.t.started);
        expect(second.t).toMatchObject({ connecting: 0, tlsHandshaking: 0 });
      }
    } finally {
      await http.close();
      await https.close();
      tlsServer.closeAllConnections();
      await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
      rmSync(certDir, { recursive: true, force: true });
    }
  });
});
