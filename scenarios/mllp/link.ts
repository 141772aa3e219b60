/**
 * @module scenarios/mllp: one VU's MLLP connection to one address — opened on first use, kept open, opened anew
 * after the peer closed it; one message in flight at a time, its reply read frame by frame.
 */
import type { Socket } from 'node:net';
import type { NetGuard } from '../../core/net-guard.js';
import { FrameReader } from './frame.js';

/** The outcome of one message: the reply text, or why there is none (never thrown). */
export type Exchange =
  | { readonly ok: true; readonly reply: string; readonly startedAt: number; readonly doneAt: number }
  | { readonly ok: false; readonly errorCode: string; readonly message: string; readonly startedAt: number; readonly doneAt: number };

/** `closedBeforeReply`: the peer closed (or reset) the link without sending a byte of a reply. */
type Outcome = { ok: true; reply: string } | { ok: false; errorCode: string; message: string; closedBeforeReply?: boolean };
type Waiter = (outcome: Outcome) => void;

export class MllpLink {
  private socket: Socket | undefined;
  private readonly reader = new FrameReader();
  private waiter: Waiter | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly guard: NetGuard,
  ) {}

  /** Sends one framed message and waits for one reply frame; times (performance.now) exclude connecting. */
  async exchange(frame: Buffer, timeoutMs: number, signal: AbortSignal): Promise<Exchange> {
    const reused = this.socket !== undefined && !this.socket.destroyed;
    const first = await this.exchangeOnce(frame, timeoutMs, signal);
    // A kept-open link the peer closed while idle fails the next write with no reply at all. The message is sent once
    // more on a new connection with the same control id, as MLLP senders resend an unacknowledged message.
    if (reused && !first.ok && first.closedBeforeReply === true && !signal.aborted) {
      const again = await this.exchangeOnce(frame, timeoutMs, signal);
      return strip({ ...again, startedAt: first.startedAt });
    }
    return strip(first);
  }

  private async exchangeOnce(frame: Buffer, timeoutMs: number, signal: AbortSignal): Promise<Outcome & { startedAt: number; doneAt: number }> {
    const failNow = (errorCode: string, message: string): Outcome & { startedAt: number; doneAt: number } => ({ ok: false, errorCode, message, startedAt: performance.now(), doneAt: performance.now() });
    const connected = await this.connected(signal);
    if (connected !== undefined) return failNow(connected.errorCode, connected.message);
    const socket = this.socket as Socket;
    this.reader.reset();
    const startedAt = performance.now();
    const outcome = await new Promise<Outcome>((resolve) => {
      const finish: Waiter = (o) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(o);
      };
      // A late reply would be taken for the next message's: the link is dropped on a timeout or an abort.
      const timer = setTimeout(() => {
        finish({ ok: false, errorCode: 'EMLLPTIMEOUT', message: `no ACK from ${this.host}:${this.port} within ${timeoutMs} ms` });
        this.drop();
      }, timeoutMs);
      const onAbort = (): void => {
        finish({ ok: false, errorCode: 'EABORTED', message: 'aborted by the run' });
        this.drop();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = finish;
      socket.write(frame);
    });
    return { ...outcome, startedAt, doneAt: performance.now() };
  }

  close(): void {
    this.drop();
  }

  private drop(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }

  /** Opens the connection when there is none; returns why it could not. */
  private async connected(signal: AbortSignal): Promise<{ errorCode: string; message: string } | undefined> {
    if (this.socket !== undefined && !this.socket.destroyed) return undefined;
    const socket = this.guard.connect(this.host, this.port);
    const opened = await new Promise<{ errorCode: string; message: string } | undefined>((resolve) => {
      const onAbort = (): void => done({ errorCode: 'EABORTED', message: 'aborted by the run' });
      const done = (r: { errorCode: string; message: string } | undefined): void => {
        socket.off('connect', onConnect);
        socket.off('error', onError);
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onConnect = (): void => done(undefined);
      const onError = (err: NodeJS.ErrnoException): void => done({ errorCode: err.code ?? 'EMLLPCONNECT', message: `cannot connect to ${this.host}:${this.port}: ${err.message}` });
      socket.once('connect', onConnect);
      socket.once('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    if (opened !== undefined) {
      socket.destroy();
      return opened;
    }
    this.attach(socket);
    return undefined;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    let lastError: NodeJS.ErrnoException | undefined;
    socket.on('data', (chunk: Buffer) => {
      // Bytes with no message in flight (an unsolicited frame), or on a link already dropped, are ignored.
      if (this.waiter === undefined || this.socket !== socket) return;
      const read = this.reader.push(chunk);
      if (read.kind === 'partial') return;
      if (read.kind === 'frame') return this.waiter({ ok: true, reply: read.message });
      this.waiter({ ok: false, errorCode: 'EMLLPGARBAGE', message: `${this.host}:${this.port} sent bytes that are not MLLP: ${read.detail}` });
      this.drop();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      lastError = err;
    });
    // The peer closed an idle link (one message per connection, an idle timeout): the next message opens a new one
    // instead of writing into a half-closed socket.
    socket.on('end', () => {
      if (this.socket === socket && this.waiter === undefined) this.drop();
    });
    socket.on('close', () => {
      // A link we dropped (timeout, abort, garbage) already failed its message; its close says nothing new.
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.waiter === undefined) return;
      const why = lastError ? `: ${lastError.code ?? lastError.message}` : '';
      if (this.reader.isMidFrame) this.waiter({ ok: false, errorCode: 'EMLLPCLOSED', message: `${this.host}:${this.port} closed the connection in the middle of an ACK frame${why}` });
      else this.waiter({ ok: false, errorCode: lastError?.code ?? 'EMLLPCLOSED', message: `${this.host}:${this.port} closed the connection before it acknowledged the message${why}`, closedBeforeReply: true });
    });
  }
}

function strip(o: Outcome & { startedAt: number; doneAt: number }): Exchange {
  if (o.ok) return o;
  return { ok: false, errorCode: o.errorCode, message: o.message, startedAt: o.startedAt, doneAt: o.doneAt };
}

/** Every VU's links of one runner, by scenario × VU × address; `closeAll()` when the load ends. */
export class MllpLinks {
  private readonly links = new Map<string, MllpLink>();

  constructor(private readonly guard: NetGuard) {}

  linkFor(scenario: string, vu: number, address: string): MllpLink {
    const key = `${scenario}\u0000${vu}\u0000${address}`;
    let link = this.links.get(key);
    if (link === undefined) {
      const at = address.lastIndexOf(':');
      link = new MllpLink(address.slice(0, at).replace(/^\[|\]$/g, ''), Number(address.slice(at + 1)), this.guard);
      this.links.set(key, link);
    }
    return link;
  }

  closeAll(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }
}
