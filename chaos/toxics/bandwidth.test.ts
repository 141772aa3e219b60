/**
 * @module chaos/toxics: bandwidth on the wire: never faster than `rate` KB/s, and not absurdly slower.
 * The ±% accuracy is measured by `npm run bench -- proxy`; these bounds hold on a busy machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, readAll, sourceServer, type TestServer } from '../testing/net.js';
import { proxyFixture, type ProxyFixture } from '../testing/proxy-fixture.js';
import { bandwidth } from './bandwidth.js';
import { runToxicConformance } from './conformance.js';

runToxicConformance(bandwidth, { attributes: { rate: 100_000 }, preservesData: true });

const BYTES = 400_000;
let source: TestServer;
let fx: ProxyFixture;
beforeAll(async () => {
  source = await sourceServer(BYTES);
  fx = await proxyFixture(source.address);
});
afterAll(async () => {
  await fx.close();
  await source.close();
});

describe('bandwidth on the wire', { timeout: 30_000 }, () => {
  it('delivers 400 KB at 800 KB/s in about 500 ms: not faster, not absurdly slower', async () => {
    await fx.addToxic({ type: 'bandwidth', attributes: { rate: 800 } });
    const socket = await connectTo(fx.port);
    const start = performance.now();
    let first = 0;
    socket.once('data', () => (first = performance.now()));
    const { data } = await readAll(socket);
    const elapsed = performance.now() - start;
    expect(data.length).toBe(BYTES);
    // The first slice (rate × 100 ms) leaves at once; the rest is paced. Measured from connect, as a client sees it.
    // Timers never fire early, so the pacing can only be late: at least 90 % of 500 ms, at most a few times it.
    expect(first - start).toBeLessThan(elapsed / 2);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(500 * 4);
  });
});
