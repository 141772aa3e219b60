/** @module chaos/api: the last differences from real Toxiproxy 2.12 (issue #14): random listen, populate errors and duplicates, allowed upstreams. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';

let server: ChaosServer;
let echo: TestServer;

async function call(method: string, path: string, body?: string, on: ChaosServer = server) {
  const res = await fetch(`${on.url}${path}`, { method, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

describe('Toxiproxy parity', { timeout: 20_000 }, () => {
  for (const [what, listen] of [['no listen', undefined], ['listen ":0"', ':0'], ['listen ""', '']] as const) {
    it(`binds a random loopback port for ${what} and answers 201 with the bound address`, async () => {
      const name = `rnd-${what.replace(/\W/g, '')}`;
      const res = await call('POST', '/proxies', JSON.stringify({ name, upstream: echo.address, ...(listen === undefined ? {} : { listen }) }));
      expect(res.status).toBe(201);
      const proxy = JSON.parse(res.text) as { listen: string; enabled: boolean };
      expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
      const port = Number(proxy.listen.split(':')[1]);
      expect(port).toBeGreaterThan(0);
      // The proxy is really listening there, and forwards to the upstream.
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('ping'));
        socket.once('data', (d) => {
          resolve(d.toString());
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(reply).toBe('ping');
      expect((await call('DELETE', `/proxies/${name}`)).status).toBe(204);
    });
  }

  it('answers a bad populate body with 400 application/json and "proxies": null', async () => {
    const bad = await call('POST', '/populate', 'garbage');
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/json');
    expect(bad.text).toBe('{"error":"bad request body: invalid character \'g\' looking for beginning of value","status":400,"proxies":null}');
    const object = await call('POST', '/populate', '{"name":"x"}');
    expect(object.status).toBe(400);
    expect(object.type).toBe('application/json');
    expect(JSON.parse(object.text)).toEqual({
      error: 'bad request body: json: cannot unmarshal object into Go value of type []struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }',
      status: 400,
      proxies: null,
    });
  });

  it('echoes the first of two same-named populate entries as replaced (enabled: false), the second as the proxy kept', async () => {
    const res = await call('POST', '/populate', JSON.stringify([
      { name: 'dup', listen: '127.0.0.1:0', upstream: echo.address },
      { name: 'dup', listen: '127.0.0.1:0', upstream: `${echo.address.split(':')[0]}:9` },
    ]));
    expect(res.status).toBe(201);
    const { proxies } = JSON.parse(res.text) as { proxies: { name: string; upstream: string; enabled: boolean }[] };
    expect(proxies.map((p) => [p.name, p.upstream, p.enabled])).toEqual([
      ['dup', echo.address, false],
      ['dup', `${echo.address.split(':')[0]}:9`, true],
    ]);
    const kept = JSON.parse((await call('GET', '/proxies/dup')).text) as { upstream: string; enabled: boolean };
    expect(kept).toMatchObject({ upstream: `${echo.address.split(':')[0]}:9`, enabled: true });
    await call('DELETE', '/proxies/dup');
  });

  it('accepts non-loopback upstreams only when the server allows their host, and listeners stay loopback', async () => {
    const body = JSON.stringify({ name: 'staging', listen: '127.0.0.1:0', upstream: '10.1.2.3:5432' });
    expect((await call('POST', '/proxies', body)).status).toBe(403);
    const allowing = await startChaosServer({ host: '127.0.0.1', port: 0, allowUpstreamHosts: ['10.1.2.3'] });
    try {
      // Toxiproxy never dials the upstream before a client connects, so creating it sends nothing to 10.1.2.3.
      const created = await call('POST', '/proxies', body, allowing);
      expect(created.status).toBe(201);
      expect(JSON.parse(created.text)).toMatchObject({ upstream: '10.1.2.3:5432' });
      const other = await call('POST', '/proxies', JSON.stringify({ name: 'other', listen: '127.0.0.1:0', upstream: '10.9.9.9:5432' }), allowing);
      expect(other.status).toBe(403);
      const wide = await call('POST', '/proxies', JSON.stringify({ name: 'wide', listen: '0.0.0.0:0', upstream: '10.1.2.3:5432' }), allowing);
      expect(wide.status).toBe(403);
    } finally {
      await allowing.close();
    }
  });
});
