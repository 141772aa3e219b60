/** @module chaos/api: a client that pipelines requests and never reads the answers holds a bounded number of bytes. */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '../index.js';
import { DEFAULT_GATE_LIMITS } from './connection-gate.js';

let server: ChaosServer;
let listing = 0;

const until = async (what: string, ok: () => boolean, onEach: () => void = () => undefined): Promise<void> => {
  for (let i = 0; i < 2_000; i++) {
    onEach();
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

function openSocket(): Promise<Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  // 300 disabled proxies make GET /proxies about 33 KB, so unbounded answers would run to hundreds of MB.
  for (let i = 0; i < 300; i++) {
    const body = JSON.stringify({ name: `bp-${String(i).padStart(3, '0')}-${'n'.repeat(40)}`, listen: '127.0.0.1:0', upstream: '127.0.0.1:9', enabled: false });
    expect((await fetch(`${server.url}/proxies`, { method: 'POST', body })).status).toBe(201);
  }
  listing = (await (await fetch(`${server.url}/proxies`)).text()).length;
  expect(listing).toBeGreaterThan(30_000);
});
afterAll(async () => {
  await server.close();
});

describe('API backpressure', { timeout: 60_000 }, () => {
  it('stops answering and reading a connection whose answers are not read', async () => {
    const socket = await openSocket();
    socket.pause(); // never read
    const requests = 6_000;
    const one = 'GET /proxies HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    for (let i = 0; i < requests; i += 500) socket.write(one.repeat(500));
    // Unbounded, every parsed request renders its answer (before the fix: +350 MB of heap here); bounded, one
    // answer at a time sits on the socket and the rest of the requests wait, unread or unanswered.
    const heap = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = heap();
    const bound = DEFAULT_GATE_LIMITS.highWaterMarkBytes + 2 * listing;
    let worstGrowth = 0;
    const check = (): void => {
      const load = server.load();
      worstGrowth = Math.max(worstGrowth, heap() - before);
      expect(load.bufferedBytes).toBeLessThanOrEqual(bound);
      expect(load.queuedRequests).toBeLessThan(DEFAULT_GATE_LIMITS.dropAtQueued);
    };
    // The server stalls once the kernel buffers between us are full: its load stops changing.
    let last = '';
    let same = 0;
    await until('the server to stall on the unread connection', () => same >= 10, () => {
      check();
      const now = JSON.stringify(server.load());
      same = now === last && server.load().bufferedBytes > 0 ? same + 1 : 0;
      last = now;
    });
    for (let i = 0; i < 20; i++) {
      check();
      await new Promise((r) => setTimeout(r, 10));
    }
    // Generous: garbage the collector has not taken yet counts too.
    expect(worstGrowth).toBeLessThan(64 * 1024 * 1024);
    socket.destroy();
    await until('the queued requests to go with the connection', () => server.load().queuedRequests === 0 && server.load().bufferedBytes === 0);
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
  });

  it('answers every pipelined request in order when the client reads', async () => {
    const socket = await openSocket();
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    const n = 300;
    let batch = '';
    for (let i = 0; i < n; i++) batch += i % 2 === 0 ? 'GET /version HTTP/1.1\r\nHost: x\r\n\r\n' : `GET /proxies/nope-${i} HTTP/1.1\r\nHost: x\r\n\r\n`;
    socket.write(batch);
    const count = (): number => text.split('HTTP/1.1 ').length - 1;
    await until('all answers', () => count() === n);
    const statuses = text.split('HTTP/1.1 ').slice(1).map((s) => s.slice(0, 3));
    expect(statuses).toEqual(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? '200' : '404')));
    socket.destroy();
  });
});
