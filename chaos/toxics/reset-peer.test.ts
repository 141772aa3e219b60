/** @module chaos/toxics: reset_peer on the wire: the client gets ECONNRESET after `timeout` ms. */
import { describe, expect, it } from 'vitest';
import { connectTo, echoServer, readAll } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { resetPeer } from './reset-peer.js';

runToxicConformance(resetPeer, { attributes: { timeout: 5 }, preservesData: false });

describe('reset_peer on the wire', { timeout: 30_000 }, () => {
  it('resets the connection `timeout` ms after the first data: the client sees ECONNRESET', async () => {
    const echo = await echoServer();
    const fx = await proxyFixture(echo.address);
    try {
      await fx.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 80 } });
      const socket = await connectTo(fx.port);
      const ended = readAll(socket);
      const start = performance.now();
      socket.write('hello');
      const result = await ended;
      expect(result.error).toBe('ECONNRESET');
      expect(performance.now() - start).toBeGreaterThanOrEqual(79);
      expect(result.data.length).toBe(0);
    } finally {
      await fx.close();
      await echo.close();
    }
  });
});
