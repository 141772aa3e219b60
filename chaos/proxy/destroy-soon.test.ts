/** @module chaos/proxy: a closed side of a proxied connection is let go as soon as its socket closes. */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destroySoon } from './destroy-soon.js';

let server: Server;
let port = 0;
beforeEach(async () => {
  // The peer reads everything and closes when the client ends.
  server = createServer((s) => {
    s.resume();
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
});

describe('destroySoon', () => {
  it('closes the socket once its end is flushed', async () => {
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    client.write('last bytes');
    const closed = new Promise((r) => client.once('close', r));
    destroySoon(client);
    await closed;
    expect(client.destroyed).toBe(true);
  });

  it('keeps nothing of a socket once it has closed (its 5 s guard timer goes with it)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let client: Socket | undefined = connect(port, '127.0.0.1');
    await new Promise((r) => client?.once('connect', r));
    client.write('last bytes');
    const closed = new Promise((r) => client?.once('close', () => r(undefined)));
    destroySoon(client);
    await closed;
    const ref = new WeakRef(client);
    client = undefined;
    // The handle's own close callbacks take a few turns; after them only the guard timer could still hold the socket.
    for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      gc();
    }
    expect(ref.deref() === undefined).toBe(true);
  });
});
