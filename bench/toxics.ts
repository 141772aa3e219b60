/**
 * @module bench: accuracy of the timing toxics on the wire, the numbers the tests no longer assert (a busy machine
 * moves them): latency (median added delay / asked, goal 1.00 ± 0.03), jitter (observed spread / asked ±, goal ≤ 1
 * plus scheduler noise) and bandwidth (observed KB/s / rate, goal 1.00 ± 0.05). Run it on an idle machine.
 */
import { connectTo, echoServer, median, readAll, roundTrip, sourceServer } from '../chaos/testing/net.js';
import { proxyFixture } from '../chaos/testing/proxy-fixture.js';

async function rtts(port: number, n: number): Promise<number[]> {
  const socket = await connectTo(port);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await roundTrip(socket));
  socket.destroy();
  return out;
}

async function latencyAndJitter(): Promise<void> {
  const echo = await echoServer();
  const fx = await proxyFixture(echo.address);
  try {
    const base = median(await rtts(fx.port, 50));
    await fx.addToxic({ name: 'lat', type: 'latency', attributes: { latency: 60, jitter: 0 } });
    const slowed = median(await rtts(fx.port, 50));
    await fx.proxy.getToxic('lat').then((t) => t.remove());
    const added = slowed - base;
    console.log(`latency 60 ms     added median ${added.toFixed(2)} ms · ratio ${(added / 60).toFixed(3)} (goal 1.00 ± 0.03)`);

    await fx.addToxic({ name: 'jit', type: 'latency', attributes: { latency: 40, jitter: 10 } });
    const jittered = await rtts(fx.port, 100);
    await fx.proxy.getToxic('jit').then((t) => t.remove());
    const sorted = [...jittered].sort((a, b) => a - b);
    const lo = (sorted[2] as number) - base;
    const hi = (sorted[97] as number) - base;
    console.log(`jitter 40 ± 10 ms observed p2–p97 ${lo.toFixed(1)}–${hi.toFixed(1)} ms · spread ratio ${((hi - lo) / 20).toFixed(2)} (goal ≤ 1.05) · median ${(median(jittered) - base).toFixed(1)} ms`);
  } finally {
    await fx.close();
    await echo.close();
  }
}

async function bandwidth(): Promise<void> {
  const bytes = 2_000_000;
  const source = await sourceServer(bytes);
  const fx = await proxyFixture(source.address);
  try {
    await fx.addToxic({ type: 'bandwidth', attributes: { rate: 800 } });
    const socket = await connectTo(fx.port);
    const start = performance.now();
    const { data } = await readAll(socket);
    const seconds = (performance.now() - start) / 1000;
    // The first slice (rate × 100 ms) leaves at once, as in Toxiproxy; the rest is paced at `rate`.
    const expected = (bytes / 1000 - 800 * 0.1) / 800 + 0.1;
    console.log(`bandwidth 800 KB/s ${(data.length / 1000 / seconds).toFixed(0)} KB/s over ${seconds.toFixed(2)} s · time ratio ${(seconds / expected).toFixed(3)} (goal 1.00 ± 0.05)`);
  } finally {
    await fx.close();
    await source.close();
  }
}

export async function run(): Promise<void> {
  await latencyAndJitter();
  await bandwidth();
}
