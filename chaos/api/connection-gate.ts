/**
 * @module chaos/api: backpressure per API connection. Requests of one connection are answered one at a
 * time, the next only once the socket's unsent bytes are under a high-water mark, and the socket stops
 * being read while requests are waiting — so a client that pipelines requests and never reads the answers
 * holds a bounded number of bytes, as with Go's net/http (which reads the next request only after writing
 * the previous answer).
 */
import type { Socket } from 'node:net';

export interface GateLimits {
  /** Unsent answer bytes on the socket above which no further answer is rendered and reading stops. */
  readonly highWaterMarkBytes: number;
  /** Waiting requests at which the socket stops being read (resumes at half). */
  readonly pauseAtQueued: number;
  /** Waiting requests at which the connection is dropped (bytes already read when reading stopped). */
  readonly dropAtQueued: number;
}

export const DEFAULT_GATE_LIMITS: GateLimits = { highWaterMarkBytes: 64 * 1024, pauseAtQueued: 16, dropAtQueued: 4096 };

/** What a request learns when its turn comes: `closed` when the connection went away while it waited. */
export type Turn = 'go' | 'closed';

const noop = (): void => undefined;

export class ConnectionGate {
  private readonly waiting: Array<(turn: Turn) => void> = [];
  private busy = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly limits: GateLimits = DEFAULT_GATE_LIMITS,
  ) {
    // Node's HTTP server feeds its parser straight from the handle, where pause() does not stop reading;
    // a 'data' listener moves the socket to the stream path, where pause() really stops the reads.
    socket.on('data', noop);
    socket.on('drain', () => this.next());
    socket.once('close', () => this.close());
  }

  /** Resolves when this request may be answered. Call `leave` once its answer is written. */
  enter(): Promise<Turn> {
    if (this.closed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length >= this.limits.dropAtQueued) {
        this.socket.destroy();
        return;
      }
      this.next();
    });
  }

  leave(): void {
    this.busy = false;
    this.next();
  }

  /** Requests waiting for their turn, and the socket's unsent bytes. */
  load(): { readonly queued: number; readonly bufferedBytes: number } {
    return { queued: this.waiting.length, bufferedBytes: this.socket.writableLength };
  }

  private next(): void {
    if (!this.busy && !this.closed && !this.isFull()) {
      const turn = this.waiting.shift();
      if (turn) {
        this.busy = true;
        turn('go');
      }
    }
    this.steer();
  }

  private isFull(): boolean {
    return this.socket.writableLength > this.limits.highWaterMarkBytes;
  }

  /**
   * Stops reading while requests pile up or answers are not being taken; reads again once both clear.
   * Node's server pauses the same socket while it needs a drain and resumes it on 'drain', so this
   * resumes only when no drain is pending (resuming under Node's own pause would break its parser).
   */
  private steer(): void {
    if (this.closed) return;
    const queued = this.waiting.length;
    if (queued >= this.limits.pauseAtQueued || this.isFull()) {
      if (!this.socket.isPaused()) this.socket.pause();
    } else if (queued <= this.limits.pauseAtQueued / 2 && !this.socket.writableNeedDrain && this.socket.isPaused()) {
      this.socket.resume();
    }
  }

  private close(): void {
    this.closed = true;
    for (const turn of this.waiting.splice(0)) turn('closed');
  }
}
