/** @module chaos/toxics: timeout on the wire: data is held (dropped), then the connection closes. */
import { describe, expect, it } from 'vitest';
import { connectTo, echoServer, readAll } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { timeout } from './timeout.js';

runToxicConformance(timeout, { attributes: { timeout: 0 }, preservesData: false });

describe('timeout on the wire', { timeout: 30_000 }, () => {
  it('passes nothing and closes `timeout` ms after the toxic started', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address);
    try {
      await fx.addToxic({ type: 'timeout', attributes: { timeout: 150 } });
      const start = performance.now();
      const socket = await connectTo(fx.port);
      const ended = readAll(socket);
      socket.write('anyone there?');
      const result = await ended;
      expect(result.data.length).toBe(0);
      expect(performance.now() - start).toBeGreaterThanOrEqual(145);
    } finally {
      await fx.close();
      await echo.close();
    }
  });

  it('with timeout 0 holds the connection open until the toxic is removed, which closes it', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address);
    try {
      await fx.addToxic({ name: 'hold', type: 'timeout', attributes: { timeout: 0 } });
      const socket = await connectTo(fx.port);
      let closed = false;
      const ended = readAll(socket).then((r) => ((closed = true), r));
      socket.write('ping');
      await new Promise((r) => setTimeout(r, 200));
      expect(closed).toBe(false);
      await fx.proxy.getToxic('hold').then((t) => t.remove());
      const result = await ended;
      expect(result.data.length).toBe(0);
    } finally {
      await fx.close();
      await echo.close();
    }
  });
});
