/** @module chaos/testing: @internal real-socket helpers for chaos tests (echo and sink servers, clients, timing). */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TestServer {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP server echoing every byte back. */
export function echoServer(): Promise<TestServer> {
  return listen(createServer((s) => s.pipe(s)));
}

/** A TCP server that writes `bytes` bytes (pattern 0..250) to each client, then ends. */
export function sourceServer(bytes: number): Promise<TestServer> {
  return listen(
    createServer((s) => {
      const data = Buffer.alloc(bytes);
      for (let i = 0; i < bytes; i++) data[i] = i % 251;
      s.end(data);
    }),
  );
}

export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Reads until the socket ends or errors; resolves with the bytes, the chunk sizes and how it ended. */
export function readAll(socket: Socket): Promise<{ data: Buffer; chunks: number[]; error?: string }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ data: Buffer.concat(parts), chunks: parts.map((p) => p.length), ...(error ? { error } : {}) }));
  });
}

/** One request/response round trip of `size` bytes on an echo connection; ms. */
export async function roundTrip(socket: Socket, size = 1): Promise<number> {
  const payload = Buffer.alloc(size, 7);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let got = 0;
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got >= size) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(payload);
  });
  return performance.now() - start;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The port of a `host:port` listen string. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}
