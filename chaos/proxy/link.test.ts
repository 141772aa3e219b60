/**
 * @module chaos/proxy: a live link between two real sockets moves from the fast path to the toxic chain and back
 * while bytes flow, losing and reordering none.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/support/poll.js';
import { seededRandom } from '../rng.js';
import { latency } from '../toxics/latency.js';
import { slicer } from '../toxics/slicer.js';
import { connectTo } from '../testing/net.js';
import { ToxicLink } from './link.js';
import type { ToxicEntry } from './stub.js';

const open: (Server | Socket)[] = [];
afterEach(() => {
  for (const thing of open.splice(0)) 'destroy' in thing ? thing.destroy() : thing.close();
});

/** A connected pair of real loopback sockets: what one writes, the other reads. */
async function socketPair(): Promise<[Socket, Socket]> {
  const server = createServer();
  open.push(server);
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const near = await connectTo((server.address() as AddressInfo).port);
  const far = await accepted;
  open.push(near, far);
  return [near, far];
}

const entry = (name: string, definition: typeof latency | typeof slicer, attributes: Record<string, unknown>, toxicity = 1): ToxicEntry => ({
  name,
  type: definition.type,
  stream: 'upstream',
  direction: 'upstream',
  toxicity,
  attributes,
  definition,
});

/** client → [input | link | output] → sink, with a numbered-chunk pump and the bytes the sink got. */
async function liveLink(): Promise<{ link: ToxicLink; pump: (n: number) => Promise<void>; finish: () => Promise<{ sent: Buffer; received: Buffer; ended: boolean }> }> {
  const [client, input] = await socketPair();
  const [output, sink] = await socketPair();
  let ended = false;
  const link = new ToxicLink('upstream', [], input, output, {
    random: seededRandom(7),
    onReceived: () => undefined,
    onSent: () => undefined,
    onEnd: () => void (ended = true),
    onReset: () => undefined,
  });
  link.start();
  const received: Buffer[] = [];
  sink.on('data', (d: Buffer) => received.push(d));
  const sinkEnded = new Promise<void>((resolve) => sink.once('end', resolve));
  let counter = 0;
  const sent: Buffer[] = [];
  /** Writes `n` numbered 4 KB chunks, honouring backpressure. */
  const pump = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const chunk = Buffer.alloc(4096, counter++ % 251);
      sent.push(chunk);
      if (!client.write(chunk)) await new Promise((r) => client.once('drain', r));
    }
  };
  const finish = async (): Promise<{ sent: Buffer; received: Buffer; ended: boolean }> => {
    client.end();
    await sinkEnded;
    return { sent: Buffer.concat(sent), received: Buffer.concat(received), ended };
  };
  return { link, pump, finish };
}

describe('a live link', { timeout: 60_000 }, () => {
  it('goes through the chain while a toxic is on and back to the fast path after, keeping every byte in order', async () => {
    const { link, pump, finish } = await liveLink();
    const modes: boolean[] = [link.isDirect];
    await pump(50);
    for (let round = 0; round < 3; round++) {
      const pumping = pump(200);
      await link.addToxic(round % 2 ? entry('s', slicer, { average_size: 512, size_variation: 128, delay: 0 }) : entry('l', latency, { latency: 1, jitter: 0 }));
      modes.push(link.isDirect);
      await pumping;
      const more = pump(200);
      await link.removeToxic(0);
      await more;
      // The next chunk read while the chain holds nothing takes the fast path again.
      await waitUntil(async () => (await pump(1), link.isDirect), 'the link is back on the fast path');
      modes.push(link.isDirect);
    }
    const { sent, received, ended } = await finish();
    expect(modes).toEqual([true, false, true, false, true, false, true]);
    expect(ended).toBe(true);
    expect(received.equals(sent)).toBe(true);
  });

  it('takes the fast path past a toxic that lost its toxicity draw, and the chain for one that won', async () => {
    const { link, pump, finish } = await liveLink();
    const pumping = pump(100);
    await link.addToxic(entry('never', latency, { latency: 50, jitter: 0 }, 0));
    await waitUntil(async () => (await pump(1), link.isDirect), 'the link skips the inactive toxic');
    await pumping;
    const more = pump(100);
    await link.addToxic(entry('always', slicer, { average_size: 256, size_variation: 64, delay: 0 }, 1));
    await pump(20);
    expect(link.isDirect).toBe(false);
    await more;
    await link.removeToxic(1);
    await waitUntil(async () => (await pump(1), link.isDirect), 'the link is back on the fast path');
    const { sent, received, ended } = await finish();
    expect(ended).toBe(true);
    expect(received.equals(sent)).toBe(true);
  });
});
