/**
 * @module chaos/proxy: toxic-less connections behave the same on the native relay and on the JS relay: bytes in
 * order both ways, everything sent before a close delivered, closes passed on, toxics applied to open connections
 * without losing a byte, live byte counters, and a disabled proxy closing its connections.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/support/poll.js';
import { connectTo, echoServer, readAll, roundTrip, sourceServer } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { nativeRelay, nativeRelayBuilt } from './native-relay.js';

const pattern = (bytes: number, seed = 0): Buffer => {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i + seed) % 251;
  return data;
};

/** Reads exactly `bytes` bytes from the socket. */
function readBytes(socket: Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (d: Buffer): void => {
      parts.push(d);
      got += d.length;
      if (got >= bytes) {
        socket.off('data', onData);
        resolve(Buffer.concat(parts));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${got} of ${bytes} bytes`)));
  });
}

const counted = (metrics: string, kind: 'received' | 'sent', direction: string): number =>
  Number(new RegExp(`toxiproxy_proxy_${kind}_bytes_total\\{direction="${direction}"[^}]*\\} (\\d+)`).exec(metrics)?.[1] ?? NaN);

// CODEBLUE_NATIVE_RELAY=off switches the addon off for the whole process: then only the JS relay is tested.
const switchedOff = process.env.CODEBLUE_NATIVE_RELAY === 'off';

describe('the native relay addon', () => {
  // The install builds it wherever a compiler is found; a silently broken build would lose the fast path unnoticed.
  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/g++') && !switchedOff)('is built and loads where a C++ compiler exists', () => {
    expect(nativeRelayBuilt()).toBe(true);
    expect(nativeRelay()).toBeDefined();
  });
});

describe.each([
  ...(switchedOff ? [] : [{ relay: 'native', native: true }]),
  { relay: 'JS', native: false },
])('a toxic-less connection on the $relay relay', { timeout: 60_000 }, ({ native }) => {
  const relayedNow = (): number => nativeRelay()?.size ?? 0;

  it('moves 4 MB each way in order, on the relay it was given', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { nativeRelay: native });
    try {
      expect(fx.server.relay).toBe(native ? 'native' : 'js');
      const before = relayedNow();
      const client = await connectTo(fx.port);
      const sent = pattern(4 << 20, 3);
      const back = readBytes(client, sent.length);
      client.write(sent);
      expect((await back).equals(sent)).toBe(true);
      expect(relayedNow() - before).toBe(native ? 1 : 0);
      client.destroy();
      await waitUntil(async () => (await fx.server.stats()).proxyConnections === 0, 'the proxy counts no open connection');
      expect(relayedNow()).toBe(before);
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  // The native relay splices bulk directions through 1 MB pipes within a 16 MB budget (native/pump.cc): with 12
  // connections moving bulk both ways, 24 directions, some are spliced and the rest stay on their copy buffer.
  it('moves bulk on 12 connections at once in order, past the relay pipe budget', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { nativeRelay: native });
    try {
      const before = relayedNow();
      const clients = await Promise.all(Array.from({ length: 12 }, () => connectTo(fx.port)));
      const sent = clients.map((_, i) => pattern(2 << 20, i));
      const back = clients.map((client, i) => readBytes(client, (sent[i] as Buffer).length));
      clients.forEach((client, i) => client.write(sent[i] as Buffer));
      const got = await Promise.all(back);
      got.forEach((data, i) => expect(data.equals(sent[i] as Buffer)).toBe(true));
      expect(relayedNow() - before).toBe(native ? 12 : 0);
      for (const client of clients) client.destroy();
      await waitUntil(async () => (await fx.server.stats()).proxyConnections === 0, 'the proxy counts no open connection');
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('delivers everything the upstream sent before it closed, then closes the client', async () => {
    const source = await sourceServer(3 << 20);
    const fx = await proxyFixture(source.address, { nativeRelay: native });
    try {
      const result = await readAll(await connectTo(fx.port));
      expect(result.error).toBeUndefined();
      expect(result.data.length).toBe(3 << 20);
      expect(result.data.equals(pattern(3 << 20))).toBe(true);
    } finally {
      await fx.close();
      await source.close();
    }
  });

  it('passes a client close on to the upstream', async () => {
    const upstreamClosed: Promise<void>[] = [];
    const server = createServer((s) => {
      s.on('error', () => undefined);
      upstreamClosed.push(new Promise((resolve) => s.once('close', () => resolve())));
      s.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fx = await proxyFixture(`127.0.0.1:${(server.address() as AddressInfo).port}`, { nativeRelay: native });
    try {
      const client = await connectTo(fx.port);
      client.write('hello');
      await waitUntil(() => upstreamClosed.length === 1, 'the upstream accepted the connection');
      client.end();
      await upstreamClosed[0];
      await waitUntil(async () => (await fx.server.stats()).proxyConnections === 0, 'the proxy counts no open connection');
    } finally {
      await fx.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('applies a toxic added to the open connection, and keeps every byte in order across the change and its removal', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { nativeRelay: native });
    try {
      const client = await connectTo(fx.port);
      expect(await roundTrip(client, 16)).toBeGreaterThan(0);
      // Bytes keep flowing (written without waiting for the echo) while the toxic is added and removed.
      const chunks = Array.from({ length: 64 }, (_, i) => pattern(64 * 1024, i));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const back = readBytes(client, total);
      let toxicOn = Promise.resolve();
      for (const [i, chunk] of chunks.entries()) {
        client.write(chunk);
        if (i === 16) toxicOn = fx.addToxic({ type: 'latency', name: 'slow', stream: 'downstream', attributes: { latency: 50 } });
        if (i % 8 === 0) await new Promise((r) => setImmediate(r));
      }
      await toxicOn;
      expect((await back).equals(Buffer.concat(chunks))).toBe(true);
      expect(relayedNow()).toBe(0); // a connection under a toxic is always on the JS chain
      // The toxic acts on this (old) connection: a round trip takes at least its latency.
      await fx.proxy.getToxic('slow').then((t) => t.update({ attributes: { latency: 300 } } as never));
      expect(await roundTrip(client, 16)).toBeGreaterThanOrEqual(300);
      await (await fx.proxy.getToxic('slow')).remove();
      const again = pattern(1 << 20, 9);
      const echoed = readBytes(client, again.length);
      client.write(again);
      expect((await echoed).equals(again)).toBe(true);
      client.destroy();
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('hands bytes stuck behind a full socket over to the toxic chain, in order', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { nativeRelay: native });
    try {
      const client = await connectTo(fx.port);
      // The client does not read: the echo stops, then the proxy holds bytes it read but cannot write.
      client.pause();
      const sent = pattern(24 << 20, 5);
      client.write(sent);
      const received = async (): Promise<number> => counted(await (await fetch(`${fx.server.url}/metrics`)).text(), 'received', 'upstream');
      let last = -1;
      await waitUntil(async () => {
        const now = await received();
        const still = now === last && now > 0;
        last = now;
        if (!still) await new Promise((r) => setTimeout(r, 200));
        return still;
      }, 'the proxy stops reading (every buffer full)');
      await fx.addToxic({ type: 'latency', name: 'slow', stream: 'upstream', attributes: { latency: 1 } });
      const back = readBytes(client, sent.length);
      client.resume();
      expect((await back).equals(sent)).toBe(true);
      client.destroy();
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('counts the bytes it moved in /metrics while the connection is open', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { nativeRelay: native });
    try {
      const client = await connectTo(fx.port);
      const sent = pattern(300_000);
      const back = readBytes(client, sent.length);
      client.write(sent);
      await back;
      const metrics = await (await fetch(`${fx.server.url}/metrics`)).text();
      for (const direction of ['upstream', 'downstream']) {
        expect(counted(metrics, 'received', direction)).toBe(300_000);
        expect(counted(metrics, 'sent', direction)).toBe(300_000);
      }
      client.destroy();
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('closes its open connections when the proxy is disabled', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { nativeRelay: native });
    try {
      const client = await connectTo(fx.port);
      await roundTrip(client, 100);
      const closed = readAll(client);
      await fx.proxy.update({ enabled: false, listen: fx.proxy.listen, upstream: fx.proxy.upstream });
      await closed;
      expect((await fx.server.stats()).proxyConnections).toBe(0);
      expect(relayedNow()).toBe(0);
    } finally {
      await fx.close();
      await echo.close();
    }
  });
});
