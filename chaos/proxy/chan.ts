/** @module chaos/proxy: a bounded async channel (Go-style) between the stages of a toxic chain. */

/** Returned by `read` when the reader's signal fired before an item arrived; nothing was consumed. */
export const INTERRUPTED: unique symbol = Symbol('interrupted');

interface PendingWriter<T> {
  readonly item: T;
  readonly done: (written: boolean) => void;
}

/**
 * A FIFO with a fixed capacity: writers wait when it is full, readers wait when it is empty.
 * Waits are abortable, and an aborted read never loses an item (the hot swap relies on this).
 */
export class Chan<T> {
  private readonly items: T[] = [];
  private readonly readers: ((item: T) => void)[] = [];
  private readonly writers: PendingWriter<T>[] = [];

  /** @param capacity items held without a reader (0 = rendezvous, as an unbuffered Go channel). */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length + this.writers.length;
  }

  /** A reader is parked here and has received nothing yet (an item handed over removes it at once, synchronously). */
  get hasWaitingReader(): boolean {
    return this.readers.length > 0;
  }

  /** Writes without waiting when possible; false when the writer would have to wait. */
  offer(item: T): boolean {
    const reader = this.readers.shift();
    if (reader) {
      reader(item);
      return true;
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return true;
    }
    return false;
  }

  /** Resolves true once written, false if `signal` aborted first (then the item was not written). */
  write(item: T, signal?: AbortSignal): Promise<boolean> {
    if (this.offer(item)) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.writers.indexOf(entry);
        if (i >= 0) this.writers.splice(i, 1);
        resolve(false);
      };
      const entry: PendingWriter<T> = {
        item,
        done: (written) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(written);
        },
      };
      this.writers.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Takes an item without waiting, or returns INTERRUPTED when empty. */
  poll(): T | typeof INTERRUPTED {
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      const writer = this.writers.shift();
      if (writer) {
        this.items.push(writer.item);
        writer.done(true);
      }
      return item;
    }
    const writer = this.writers.shift();
    if (writer) {
      writer.done(true);
      return writer.item;
    }
    return INTERRUPTED;
  }

  /** The next item, or INTERRUPTED when `signal` aborts first. */
  read(signal?: AbortSignal): Promise<T | typeof INTERRUPTED> {
    const now = this.poll();
    if (now !== INTERRUPTED) return Promise.resolve(now);
    if (signal?.aborted) return Promise.resolve(INTERRUPTED);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.readers.indexOf(reader);
        if (i >= 0) this.readers.splice(i, 1);
        resolve(INTERRUPTED);
      };
      const reader = (item: T): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
      this.readers.push(reader);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Fails every waiting writer (their items are dropped): used only once a link is dead. */
  abandon(): void {
    for (const w of this.writers.splice(0)) w.done(false);
    this.items.length = 0;
  }
}
