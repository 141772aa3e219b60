/**
 * @module chaos/toxics: latency on the wire: at least the asked delay and not absurdly more, jitter bounded below,
 * live add/remove. Accuracy (the ±ms error) is measured by `npm run bench -- proxy`, not here: bounds hold on a busy machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, echoServer, median, roundTrip, type TestServer } from '../testing/net.js';
import { proxyFixture, type ProxyFixture } from '../testing/proxy-fixture.js';
import { runToxicConformance } from './conformance.js';
import { latency } from './latency.js';

runToxicConformance(latency, { attributes: { latency: 2, jitter: 1 }, preservesData: true });

let echo: TestServer;
let fx: ProxyFixture;
beforeAll(async () => {
  echo = await echoServer();
  fx = await proxyFixture(echo.address);
});
afterAll(async () => {
  await fx.close();
  await echo.close();
});

/** Median of `n` echo round trips on one connection. The machine is shared and noisy: medians, not single samples. */
async function medianRtt(n: number): Promise<{ median: number; all: number[] }> {
  const socket = await connectTo(fx.port);
  const all: number[] = [];
  for (let i = 0; i < n; i++) all.push(await roundTrip(socket));
  socket.destroy();
  return { median: median(all), all };
}

describe('latency on the wire', { timeout: 30_000 }, () => {
  it('adds the asked latency: never less, and not absurdly more than the no-toxic baseline plus the latency', async () => {
    const base = await medianRtt(15);
    await fx.addToxic({ name: 'lat', type: 'latency', attributes: { latency: 60, jitter: 0 } });
    const slowed = await medianRtt(15);
    await fx.proxy.getToxic('lat').then((t) => t.remove());
    // Timers never fire early, so every round trip carries the whole delay; a loaded CPU only adds to it.
    for (const rtt of slowed.all) expect(rtt).toBeGreaterThanOrEqual(59.5);
    expect(slowed.median - base.median).toBeLessThan(60 + 500);
  });

  it('keeps jitter within latency ± jitter', async () => {
    await fx.addToxic({ name: 'jit', type: 'latency', attributes: { latency: 40, jitter: 10 } });
    const { all } = await medianRtt(20);
    await fx.proxy.getToxic('jit').then((t) => t.remove());
    // Lower bound exact (timers never fire early by more than our re-sleep); the upper bound only rules out
    // an absurd delay, since a busy scheduler adds to every round trip. The jitter's spread is measured in bench.
    for (const rtt of all) expect(rtt).toBeGreaterThanOrEqual(30 - 0.5);
    expect(median(all)).toBeLessThan(40 + 10 + 500);
  });

  it('acts on a connection that is already open, and stops acting when removed', async () => {
    const socket = await connectTo(fx.port);
    const before = median([await roundTrip(socket), await roundTrip(socket), await roundTrip(socket)]);
    // A latency far above loopback round trips, so "with" and "without" stay apart even on a loaded machine.
    await fx.addToxic({ name: 'live', type: 'latency', attributes: { latency: 300 } });
    const during = median([await roundTrip(socket), await roundTrip(socket), await roundTrip(socket)]);
    await fx.proxy.getToxic('live').then((t) => t.remove());
    const after = median([await roundTrip(socket), await roundTrip(socket), await roundTrip(socket)]);
    socket.destroy();
    expect(before).toBeLessThan(150);
    expect(during).toBeGreaterThanOrEqual(299.5);
    expect(after).toBeLessThan(150);
  });

  it('applies an update to a connection that is already open', async () => {
    await fx.addToxic({ name: 'upd', type: 'latency', attributes: { latency: 20 } });
    const socket = await connectTo(fx.port);
    const before = median([await roundTrip(socket), await roundTrip(socket), await roundTrip(socket)]);
    await fx.proxy.getToxic('upd').then((t) => t.update({ attributes: { latency: 300 } } as never));
    const after = median([await roundTrip(socket), await roundTrip(socket), await roundTrip(socket)]);
    await fx.proxy.getToxic('upd').then((t) => t.remove());
    socket.destroy();
    expect(before).toBeGreaterThanOrEqual(19.5);
    expect(before).toBeLessThan(160);
    expect(after).toBeGreaterThanOrEqual(299.5);
  });

  it('loses no bytes when toxics are added and removed under traffic', async () => {
    const socket = await connectTo(fx.port);
    const total = 2_000_000;
    const received: Buffer[] = [];
    let got = 0;
    const done = new Promise<void>((resolve) =>
      socket.on('data', (d: Buffer) => {
        received.push(d);
        got += d.length;
        if (got >= total) resolve();
      }),
    );
    const payload = Buffer.alloc(total);
    for (let i = 0; i < total; i++) payload[i] = (i * 7) % 256;
    const writing = (async () => {
      for (let off = 0; off < total; off += 16_384) {
        if (!socket.write(payload.subarray(off, off + 16_384))) await new Promise((r) => socket.once('drain', r));
      }
    })();
    for (let i = 0; i < 6; i++) {
      await fx.addToxic({ name: `swap${i}`, type: i % 2 ? 'slicer' : 'latency', stream: i % 3 ? 'upstream' : 'downstream', attributes: i % 2 ? { average_size: 2048, size_variation: 512 } : { latency: 1 } });
      await new Promise((r) => setTimeout(r, 5));
      if (i % 2) await fx.proxy.getToxic(`swap${i - 1}`).then((t) => t.remove());
    }
    await writing;
    await done;
    socket.destroy();
    expect(Buffer.concat(received).equals(payload)).toBe(true);
  });
});
