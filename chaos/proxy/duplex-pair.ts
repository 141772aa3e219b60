/** @module chaos/proxy: two in-memory duplex ends wired to each other, with backpressure (Node 20 lacks `duplexPair`). */
import { Duplex } from 'node:stream';

interface End extends Duplex {
  other?: End;
  pendingWrite?: (() => void) | undefined;
}

/** What one end writes, the other reads. Destroying one end destroys the other. */
export function duplexPair(): [Duplex, Duplex] {
  const make = (): End =>
    new Duplex({
      read(this: End) {
        const other = this.other;
        const release = other?.pendingWrite;
        if (other && release) {
          other.pendingWrite = undefined;
          release();
        }
      },
      write(this: End, chunk: Buffer, _encoding, callback) {
        const other = this.other;
        if (!other || other.destroyed) return callback();
        if (other.push(chunk)) callback();
        else this.pendingWrite = () => callback();
      },
      final(this: End, callback) {
        this.other?.push(null);
        callback();
      },
      destroy(this: End, error, callback) {
        const release = this.pendingWrite;
        this.pendingWrite = undefined;
        release?.();
        if (this.other && !this.other.destroyed) this.other.destroy();
        callback(error);
      },
    }) as End;
  const a = make();
  const b = make();
  a.other = b;
  b.other = a;
  return [a, b];
}
