/** @module chaos/api: populate's add-or-replace rules and the live byte counters of /metrics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { connectTo, echoServer, portOf, roundTrip, type TestServer } from '../testing/net.js';

let server: ChaosServer;
let echo: TestServer;
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

describe('populate and metrics', { timeout: 20_000 }, () => {
  it('keeps an unchanged proxy as is (with its toxics), and stops at the first failure keeping earlier items', async () => {
    const first = await post('/populate', [{ name: 'keep', listen: '127.0.0.1:0', upstream: echo.address }]);
    expect(first.status).toBe(201);
    const listen = ((first.json.proxies as { listen: string }[])[0] as { listen: string }).listen;
    await post('/proxies/keep/toxics', { type: 'latency', attributes: { latency: 5 } });
    const again = await post('/populate', [
      { name: 'keep', listen, upstream: echo.address },
      { name: 'new', listen: '127.0.0.1:0', upstream: echo.address },
      { name: 'clash', listen, upstream: echo.address },
    ]);
    expect(again.status).toBe(500);
    expect(again.json.error).toBe(`listen tcp ${listen}: bind: address already in use`);
    const proxies = again.json.proxies as { name: string; toxics: unknown[] }[];
    expect(proxies.map((p) => p.name)).toEqual(['keep', 'new']);
    expect(proxies[0]?.toxics).toHaveLength(1);
  });

  it('counts bytes per direction with Toxiproxy\'s metric names and labels', async () => {
    const created = await post('/proxies', { name: 'm', listen: '127.0.0.1:0', upstream: echo.address });
    const listen = created.json.listen as string;
    const socket = await connectTo(portOf(listen));
    await roundTrip(socket, 5);
    socket.destroy();
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const labels = `listener="${listen}",proxy="m",upstream="${echo.address}"`;
    expect(text).toContain(`toxiproxy_proxy_received_bytes_total{direction="upstream",${labels}} 5`);
    expect(text).toContain(`toxiproxy_proxy_sent_bytes_total{direction="downstream",${labels}} 5`);
  });
});
