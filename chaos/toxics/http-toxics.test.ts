/** @module chaos/toxics: http_error and http_delay on `protocol: http` proxies, over keep-alive connections. */
import { createServer, Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyFixture, type ProxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { httpDelay } from './http-delay.js';
import { httpError } from './http-error.js';

runToxicConformance(httpError, { attributes: { status: 503 }, preservesData: true });
runToxicConformance(httpDelay, { attributes: { delay: 5 }, preservesData: true });

let upstream: Server;
let fx: ProxyFixture;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function get(path: string, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown>; ms: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fx.port, path, method, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, ms: performance.now() - start }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  upstream = createServer((req, res) => res.end(`ok ${req.method} ${req.url}`));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  fx = await proxyFixture(`127.0.0.1:${(upstream.address() as AddressInfo).port}`, { protocol: 'http', seed: 99 });
});
afterAll(async () => {
  agent.destroy();
  await fx.close();
  upstream.close();
});

describe('HTTP toxics', { timeout: 30_000 }, () => {
  it('forwards requests untouched without toxics, reusing connections', async () => {
    for (let i = 0; i < 5; i++) expect(await get(`/r${i}`)).toMatchObject({ status: 200, body: `ok GET /r${i}` });
    expect((await fx.server.stats()).proxyConnections).toBeLessThanOrEqual(4);
  });

  it('answers matching requests with the configured error, status and Retry-After', async () => {
    await fx.addToxic({ name: 'err', type: 'http_error', attributes: { status: 429, body: 'slow down', retry_after: 7, path: '/fhir/', methods: ['POST'] } });
    const hit = await get('/fhir/Patient', 'POST');
    expect(hit).toMatchObject({ status: 429, body: 'slow down' });
    expect(hit.headers['retry-after']).toBe('7');
    expect(await get('/fhir/Patient')).toMatchObject({ status: 200 });
    expect(await get('/health', 'POST')).toMatchObject({ status: 200 });
    await fx.proxy.getToxic('err').then((t) => t.remove());
  });

  it('fails about `probability` of requests, drawn per request', async () => {
    await fx.addToxic({ name: 'half', type: 'http_error', attributes: { status: 503, probability: 0.5 } });
    let failed = 0;
    for (let i = 0; i < 200; i++) if ((await get('/x')).status === 503) failed++;
    await fx.proxy.getToxic('half').then((t) => t.remove());
    expect(Math.abs(failed / 200 - 0.5)).toBeLessThanOrEqual(0.12);
  });

  it('delays the response headers by `delay` ms', async () => {
    const base = (await get('/d')).ms;
    await fx.addToxic({ name: 'slow', type: 'http_delay', attributes: { delay: 120 } });
    const slowed = await get('/d');
    await fx.proxy.getToxic('slow').then((t) => t.remove());
    expect(slowed.status).toBe(200);
    expect(slowed.ms).toBeGreaterThanOrEqual(119);
    expect(slowed.ms - base).toBeLessThan(120 + 500);
  });

  it('still applies TCP toxics on an http proxy', async () => {
    await fx.addToxic({ name: 'lat', type: 'latency', attributes: { latency: 80 } });
    const res = await get('/t');
    await fx.proxy.getToxic('lat').then((t) => t.remove());
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(79);
  });
});
