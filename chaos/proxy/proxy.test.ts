/** @module chaos/proxy: the proxy core on real sockets: toxicity, many connections, disable, backpressure. */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectTo, echoServer, readAll, roundTrip } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { waitForPlateau, waitUntil } from '../../test/support/poll.js';

describe('the proxy core', { timeout: 60_000 }, () => {
  it('applies a toxic to about `toxicity` of the connections (seeded draw per connection × direction)', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address, { seed: 1234 });
    try {
      // limit_data 0 closes an affected connection before any echo: classification needs no timing.
      await fx.addToxic({ type: 'limit_data', toxicity: 0.3, attributes: { bytes: 0 } });
      let affected = 0;
      const total = 200;
      for (let batch = 0; batch < total; batch += 50) {
        const echoed = await Promise.all(
          Array.from({ length: 50 }, async () => {
            const s = await connectTo(fx.port);
            const echoed = await new Promise<boolean>((resolve) => {
              s.once('data', () => resolve(true));
              s.once('close', () => resolve(false));
              s.write('x');
            });
            s.destroy();
            return echoed;
          }),
        );
        affected += echoed.filter((e) => !e).length;
      }
      // Binomial(200, 0.3): sd ≈ 6.5, so ±0.1 is > 3 sd.
      expect(Math.abs(affected / total - 0.3)).toBeLessThanOrEqual(0.1);
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('carries 1000 concurrent connections and closes every socket afterwards', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address);
    try {
      const sockets: Socket[] = await Promise.all(Array.from({ length: 1000 }, () => connectTo(fx.port)));
      const rtts = await Promise.all(sockets.map((s) => roundTrip(s, 64)));
      expect(rtts.length).toBe(1000);
      expect((await fx.server.stats()).proxyConnections).toBe(1000);
      for (const s of sockets) s.destroy();
      await waitUntil(async () => (await fx.server.stats()).proxyConnections === 0, 'the proxy counts no open connection');
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('closes the listener and open connections when disabled, and serves the same port when re-enabled', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address);
    try {
      const open = await connectTo(fx.port);
      const ended = readAll(open);
      await fx.proxy.update({ enabled: false, listen: fx.proxy.listen, upstream: fx.proxy.upstream });
      await ended;
      await expect(connectTo(fx.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await fx.proxy.update({ enabled: true, listen: fx.proxy.listen, upstream: fx.proxy.upstream });
      const again = await connectTo(fx.port);
      expect(await roundTrip(again)).toBeLessThan(1000);
      again.destroy();
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('restarts on a new listen address or upstream when updated, as Toxiproxy does', async () => {
    const echo = await echoServer();
    const other = await echoServer();
    const fx = await proxyFixture(echo.address);
    try {
      const open = await connectTo(fx.port);
      const ended = readAll(open);
      const moved = await fx.proxy.update({ enabled: true, listen: '127.0.0.1:0', upstream: other.address });
      await ended; // the restart closed existing connections
      expect(moved.upstream).toBe(other.address);
      expect(moved.listen).not.toBe(fx.proxy.listen);
      const again = await connectTo(Number(moved.listen.split(':')[1]));
      expect(await roundTrip(again)).toBeLessThan(1000);
      again.destroy();
    } finally {
      await fx.close();
      await echo.close();
      await other.close();
    }
  });

  it('respects backpressure: a client that stops reading stops the upstream, with bounded buffering', async () => {
    let written = 0;
    const firehose = createServer((s) => {
      s.on('error', () => undefined);
      const chunk = Buffer.alloc(65_536, 1);
      const pump = (): void => {
        while (!s.destroyed && s.write(chunk)) written += chunk.length;
        if (!s.destroyed) s.once('drain', () => ((written += chunk.length), pump()));
      };
      pump();
    });
    await new Promise<void>((r) => firehose.listen(0, '127.0.0.1', r));
    const fx = await proxyFixture(`127.0.0.1:${(firehose.address() as AddressInfo).port}`);
    try {
      const client = await connectTo(fx.port);
      client.pause();
      // Without backpressure the upstream writes forever and never plateaus (waitForPlateau then times out).
      const plateau = await waitForPlateau(() => written, 'the upstream writes', { floor: 0 });
      // Kernel socket buffers hold a few MB; the proxy itself holds a couple of chunks per stage.
      expect(plateau).toBeGreaterThan(0);
      expect(plateau).toBeLessThan(64 * 1024 * 1024);
      client.destroy();
    } finally {
      await fx.close();
      firehose.close();
    }
  });
});

describe('a stalled client', { timeout: 30_000 }, () => {
  it('cannot hang the API: a toxic change resets the connection that stopped reading (Toxiproxy #558)', async () => {
    const chunk = Buffer.alloc(65_536, 2);
    let written = 0;
    const firehose = createServer((s) => {
      s.on('error', () => undefined);
      const pump = (): void => {
        while (!s.destroyed && s.write(chunk)) written += chunk.length;
        if (!s.destroyed) s.once('drain', () => ((written += chunk.length), pump()));
      };
      pump();
    });
    await new Promise<void>((r) => firehose.listen(0, '127.0.0.1', r));
    const fx = await proxyFixture(`127.0.0.1:${(firehose.address() as AddressInfo).port}`);
    try {
      await fx.addToxic({ name: 'lat', type: 'latency', attributes: { latency: 1 } });
      const client = await connectTo(fx.port);
      client.pause();
      client.on('error', () => undefined);
      // The stall is real once every buffer between the firehose and the paused client is full.
      await waitForPlateau(() => written, 'the upstream writes');
      const start = performance.now();
      await fx.proxy.getToxic('lat').then((t) => t.remove());
      expect(performance.now() - start).toBeLessThan(5_000);
      await waitUntil(async () => (await fx.server.stats()).proxyConnections === 0, 'the stalled connection is reset');
      client.destroy();
    } finally {
      await fx.close();
      firehose.close();
    }
  });
});
