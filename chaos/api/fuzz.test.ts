/** @module chaos/api: random bodies to every endpoint: answers stay in Toxiproxy's set, nothing crashes or leaks. */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';
import { waitUntil } from '../../test/support/poll.js';

let server: ChaosServer;
let echo: TestServer;

/** One request on its own connection (no keep-alive), so leaks would show as open sockets. */
function send(method: string, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, agent: false, headers: { connection: 'close' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const KEYS = ['name', 'listen', 'upstream', 'enabled', 'protocol', 'type', 'stream', 'toxicity', 'attributes'];
const ATTRS = ['latency', 'jitter', 'rate', 'delay', 'timeout', 'average_size', 'size_variation', 'bytes', 'status', 'probability', 'path', 'methods'];
const scalar = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.constantFrom('latency', 'slicer', 'http_error', 'upstream', 'DOWNSTREAM', '127.0.0.1:0', 'localhost:0'));
const shaped = fc
  .record({
    top: fc.dictionary(fc.constantFrom(...KEYS), scalar),
    attributes: fc.option(fc.dictionary(fc.constantFrom(...ATTRS), fc.oneof(scalar, fc.array(fc.string()))), { nil: undefined }),
  })
  .map(({ top, attributes }) => JSON.stringify(attributes === undefined ? top : { ...top, attributes }));
const body = fc.oneof(shaped, fc.json(), fc.string(), fc.string().map((s) => `{${s}`), fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')));

const ENDPOINTS: [string, string][] = [
  ['POST', '/proxies'],
  ['POST', '/populate'],
  ['POST', '/proxies/fz'],
  ['PATCH', '/proxies/fz'],
  ['POST', '/proxies/fz/toxics'],
  ['POST', '/proxies/fz/toxics/t'],
  ['PATCH', '/proxies/fz/toxics/t'],
  ['POST', '/reset'],
];

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0, seed: 3 });
  echo = await echoServer();
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

describe('fuzzing the API', () => {
  it('answers 300 random bodies per endpoint with Toxiproxy status codes and keeps serving', { timeout: 120_000 }, async () => {
    await send('POST', '/proxies', JSON.stringify({ name: 'fz', listen: '127.0.0.1:0', upstream: echo.address }));
    await send('POST', '/proxies/fz/toxics', JSON.stringify({ name: 't', type: 'latency' }));
    for (const [method, path] of ENDPOINTS) {
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const res = await send(method, path, text);
          // Only a bind failure is a 500 (as in Toxiproxy); toxic bodies never reach a listener.
          const allowed = path.includes('/toxics') ? [200, 400, 404, 409] : [200, 201, 204, 400, 403, 404, 409, 500];
          expect(allowed).toContain(res.status);
          if (res.status >= 400) expect(JSON.parse(res.text)).toMatchObject({ status: res.status, error: expect.any(String) });
        }),
        { numRuns: 300, seed: 42 },
      );
    }
    expect((await send('GET', '/version', '')).status).toBe(200);
    // Every fuzz connection was closed by the client: the server must hold none (give the FINs a moment).
    await waitUntil(async () => (await server.stats()).apiConnections === 0, 'the API holds no fuzz connection');
    expect(await server.stats()).toEqual({ apiConnections: 0, proxyConnections: 0 });
  });
});
