/** @module chaos/toxics: slow_close on the wire: data at once, the close `delay` ms later. */
import { describe, expect, it } from 'vitest';
import { connectTo, readAll, sourceServer } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { slowClose } from './slow-close.js';

runToxicConformance(slowClose, { attributes: { delay: 5 }, preservesData: true });

describe('slow_close on the wire', { timeout: 30_000 }, () => {
  it('delivers the data, then delays the close', async () => {
    const source = await sourceServer(10);
    const fx = await proxyFixture(source.address);
    try {
      await fx.addToxic({ type: 'slow_close', attributes: { delay: 1000 } });
      const socket = await connectTo(fx.port);
      let firstAt = 0;
      const start = performance.now();
      socket.once('data', () => (firstAt = performance.now()));
      const { data } = await readAll(socket);
      expect(data.length).toBe(10);
      // The data does not wait for the delay (it arrives well inside it); the close does.
      expect(firstAt - start).toBeLessThan(500);
      expect(performance.now() - start).toBeGreaterThanOrEqual(995);
    } finally {
      await fx.close();
      await source.close();
    }
  });
});
