/** @module demo/testing: a plain TCP proxy that delays every chunk (both directions) — a stand-in latency fault for tests. */
import net from 'node:net';

/** A running delay proxy; `delayMs` may change at any time. */
export interface DelayProxy {
  readonly port: number;
  delayMs: number;
  close(): Promise<void>;
}

/** Proxies 127.0.0.1:`listenPort` (0 = ephemeral) → upstream, holding each chunk `delayMs` before forwarding it (order kept). */
export async function startDelayProxy(upstream: { host: string; port: number }, delayMs = 0, listenPort = 0): Promise<DelayProxy> {
  const sockets = new Set<net.Socket>();
  const state = { delayMs };
  const pipe = (from: net.Socket, to: net.Socket): void => {
    let chain = Promise.resolve();
    from.on('data', (chunk) => {
      const wait = state.delayMs;
      chain = chain.then(() => new Promise<void>((r) => setTimeout(r, wait))).then(() => {
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on('end', () => void chain.then(() => to.end()));
    from.on('error', () => to.destroy());
    from.on('close', () => void chain.then(() => to.destroy()));
  };
  const server = net.createServer((client) => {
    const up = net.connect(upstream);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, up);
    pipe(up, client);
  });
  await new Promise<void>((r) => server.listen(listenPort, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
