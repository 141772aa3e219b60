/** @module demo/hl7: MLLP framing (0x0B … 0x1C 0x0D) over TCP — a one-shot client and a server. */
import net from 'node:net';
import type { HostPort } from '../config/flags.js';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** Wraps one HL7 message in an MLLP frame. */
export function frameMllp(message: string): Buffer {
  return Buffer.concat([Buffer.from([VT]), Buffer.from(message, 'utf8'), Buffer.from([FS, CR])]);
}

/** Incremental MLLP decoder: feed chunks, get whole messages (bytes outside frames are discarded). */
export class MllpDecoder {
  private buffer = Buffer.alloc(0);

  /** Appends a chunk and returns every message completed by it. */
  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: string[] = [];
    for (;;) {
      const start = this.buffer.indexOf(VT);
      if (start < 0) {
        this.buffer = Buffer.alloc(0);
        return out;
      }
      const end = this.buffer.indexOf(FS, start + 1);
      if (end < 0 || end + 1 >= this.buffer.length) {
        this.buffer = this.buffer.subarray(start);
        return out;
      }
      out.push(this.buffer.subarray(start + 1, end).toString('utf8'));
      // The trailer is FS CR; tolerate a missing CR by only skipping it when present.
      this.buffer = this.buffer.subarray(this.buffer[end + 1] === CR ? end + 2 : end + 1);
    }
  }
}

/** Error of the MLLP transport (connect refused, reset, closed early, timed out). */
export class MllpTransportError extends Error {
  override readonly name = 'MllpTransportError';
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/**
 * Sends one message on a fresh connection and resolves with the first framed reply.
 * `timeoutMs` undefined means wait forever (the fragile preset).
 */
export function exchangeMllp(to: HostPort, message: string, timeoutMs?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: to.host, port: to.port });
    const decoder = new MllpDecoder();
    let settled = false;
    const finish = (err: Error | null, reply?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply ?? '');
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish(new MllpTransportError(`no MLLP reply from ${to.host}:${to.port} within ${timeoutMs}ms`, 'ETIMEDOUT')), timeoutMs);
    socket.on('connect', () => socket.write(frameMllp(message)));
    socket.on('data', (chunk) => {
      const [reply] = decoder.push(chunk);
      if (reply !== undefined) finish(null, reply);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(new MllpTransportError(`MLLP link ${to.host}:${to.port}: ${err.message}`, err.code ?? 'EIO')));
    socket.on('close', () => finish(new MllpTransportError(`MLLP link ${to.host}:${to.port} closed before a reply`, 'ECONNRESET')));
  });
}

/** A running MLLP listener. */
export interface MllpServer {
  readonly address: HostPort;
  close(): Promise<void>;
}

/** Called when `handle` rejects; the message gets no reply, and later messages on the connection still do. */
export type MllpHandlerErrorListener = (error: unknown, message: string) => void;

const reportHandlerError: MllpHandlerErrorListener = (error) => {
  process.stderr.write(`mllp: handler failed: ${error instanceof Error ? error.message : String(error)}\n`);
};

/**
 * Listens for MLLP frames; every message gets the reply `handle` resolves (sequentially per connection).
 * A rejected handler is reported to `onError` and does not stop the connection's later messages.
 */
export async function startMllpServer(
  listen: HostPort,
  handle: (message: string) => Promise<string>,
  onError: MllpHandlerErrorListener = reportHandlerError,
): Promise<MllpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const decoder = new MllpDecoder();
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const message of decoder.push(chunk)) {
        // Each link catches its own failure, so one rejected handler cannot break the chain for later messages.
        chain = chain
          .then(async () => {
            const reply = await handle(message);
            if (!socket.destroyed) socket.write(frameMllp(reply));
          })
          .catch((err: unknown) => onError(err, message));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    address: { host: listen.host, port: addr.port },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
