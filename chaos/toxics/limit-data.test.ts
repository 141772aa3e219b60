/** @module chaos/toxics: limit_data on the wire: exactly N bytes, then the connection closes. */
import { describe, expect, it } from 'vitest';
import { connectTo, readAll, sourceServer } from '../testing/net.js';
import { proxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { limitData } from './limit-data.js';

runToxicConformance(limitData, { attributes: { bytes: 10_000_000 }, preservesData: true });

describe('limit_data on the wire', { timeout: 30_000 }, () => {
  it('forwards exactly `bytes` bytes, truncating the last chunk, then closes', async () => {
    const source = await sourceServer(100_000);
    const fx = await proxyFixture(source.address);
    try {
      await fx.addToxic({ type: 'limit_data', attributes: { bytes: 1234 } });
      const { data } = await readAll(await connectTo(fx.port));
      expect(data.length).toBe(1234);
      for (let i = 0; i < data.length; i++) expect(data[i]).toBe(i % 251);
    } finally {
      await fx.close();
      await source.close();
    }
  });
});
