/** @module chaos/api: every call toxiproxy-node-client offers, against the embedded server on real sockets. */
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';

let server: ChaosServer;
let echo: TestServer;
let client: Toxiproxy;

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0, seed: 7 });
  echo = await echoServer();
  client = new Toxiproxy(server.url);
});
afterAll(async () => {
  await server.close();
  await echo.close();
});
beforeEach(async () => {
  for (const proxy of Object.values(await client.getAll())) await proxy.remove();
});

describe('toxiproxy-node-client against the embedded server', { timeout: 20_000 }, () => {
  it('reports the Toxiproxy version it speaks', async () => {
    expect(await client.getVersion()).toBe('{"version": "2.12.0"}\n');
  });

  it('creates, gets, lists and removes a proxy, resolving localhost:0 to a real port', async () => {
    const created = await client.createProxy({ name: 'pg', listen: 'localhost:0', upstream: echo.address });
    expect(created.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(created.listen).not.toBe('127.0.0.1:0');
    expect(created.enabled).toBe(true);
    const got = await client.get('pg');
    expect(got.toJson()).toEqual(created.toJson());
    expect(Object.keys(await client.getAll())).toEqual(['pg']);
    await got.remove();
    await expect(client.get('pg')).rejects.toThrow('Request failed with status code 404');
  });

  it('answers 409 for a duplicate proxy', async () => {
    await client.createProxy({ name: 'dup', listen: '127.0.0.1:0', upstream: echo.address });
    await expect(client.createProxy({ name: 'dup', listen: '127.0.0.1:0', upstream: echo.address })).rejects.toThrow('status code 409');
  });

  it('populates proxies and lists exactly those', async () => {
    const proxies = await client.populate([
      { name: 'a', listen: '127.0.0.1:0', upstream: echo.address },
      { name: 'b', listen: '127.0.0.1:0', upstream: echo.address, enabled: false },
    ]);
    expect(Object.keys(proxies).sort()).toEqual(['a', 'b']);
    const all = await client.getAll();
    expect(all.a?.enabled).toBe(true);
    expect(all.b?.enabled).toBe(false);
    expect(all.b?.listen).toBe('127.0.0.1:0');
  });

  it('disables and re-enables a proxy with update (POST), keeping its port', async () => {
    const proxy = await client.createProxy({ name: 'up', listen: '127.0.0.1:0', upstream: echo.address });
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    const enabled = await disabled.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(enabled.enabled).toBe(true);
    expect(enabled.listen).toBe(proxy.listen);
  });

  it('adds a toxic with Toxiproxy defaults, gets, updates (merging attributes) and removes it', async () => {
    const proxy = await client.createProxy({ name: 't', listen: '127.0.0.1:0', upstream: echo.address });
    const toxic = await proxy.addToxic({ type: 'latency', attributes: { latency: 100, jitter: 10 } } as never);
    expect(toxic.name).toBe('latency_downstream');
    expect(toxic.stream).toBe('downstream');
    expect(toxic.toxicity).toBe(1);
    const got = await proxy.getToxic<{ latency: number; jitter: number }>('latency_downstream');
    expect(got.attributes).toEqual({ latency: 100, jitter: 10 });
    const updated = await got.update({ attributes: { latency: 12345 } } as never);
    expect(updated.attributes).toEqual({ latency: 12345, jitter: 10 });
    await updated.remove();
    await expect(proxy.getToxic('latency_downstream')).rejects.toThrow('status code 404');
  });

  it('answers 409 for a duplicate toxic name, even across streams', async () => {
    const proxy = await client.createProxy({ name: 'd', listen: '127.0.0.1:0', upstream: echo.address });
    await proxy.addToxic({ name: 'x', type: 'latency', stream: 'upstream', attributes: {} } as never);
    await expect(proxy.addToxic({ name: 'x', type: 'latency', stream: 'downstream', attributes: {} } as never)).rejects.toThrow('status code 409');
  });

  it('echoes the attributes of every Toxiproxy toxic type', async () => {
    const proxy = await client.createProxy({ name: 'all', listen: '127.0.0.1:0', upstream: echo.address });
    const cases: [string, Record<string, number>][] = [
      ['latency', { latency: 1, jitter: 2 }],
      ['bandwidth', { rate: 3 }],
      ['slow_close', { delay: 4 }],
      ['timeout', { timeout: 5 }],
      ['slicer', { average_size: 6, size_variation: 2, delay: 8 }],
      ['limit_data', { bytes: 9 }],
      ['reset_peer', { timeout: 10 }],
    ];
    for (const [type, attributes] of cases) {
      const toxic = await proxy.addToxic({ type, stream: 'upstream', toxicity: 0, attributes } as never);
      expect(toxic.attributes).toEqual(attributes);
    }
  });

  it('rejects the client-only `down` type with 400, as Toxiproxy does', async () => {
    const proxy = await client.createProxy({ name: 'dn', listen: '127.0.0.1:0', upstream: echo.address });
    await expect(proxy.addToxic({ type: 'down', attributes: {} } as never)).rejects.toThrow('status code 400');
  });

  it('resets: re-enables proxies and removes every toxic', async () => {
    const proxy = await client.createProxy({ name: 'r', listen: '127.0.0.1:0', upstream: echo.address });
    await proxy.addToxic({ type: 'latency', attributes: { latency: 5 } } as never);
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await client.reset();
    const after = await fetch(`${server.url}/proxies/r`).then((r) => r.json() as Promise<{ enabled: boolean; toxics: unknown[] }>);
    expect(after.enabled).toBe(true);
    expect(after.toxics).toEqual([]);
  });
});
