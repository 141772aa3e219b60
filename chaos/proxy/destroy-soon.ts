/** @module chaos/proxy: closing one side of a proxied connection once its pending writes are out. */
import type { Duplex } from 'node:stream';

/** Ends `stream` and destroys it once the end is flushed, or after 5 s if the peer never reads. */
export function destroySoon(stream: Duplex): void {
  if (stream.destroyed) return;
  if (stream.writableFinished || !stream.writable) {
    stream.destroy();
    return;
  }
  stream.end(() => stream.destroy());
  // A peer that never reads must not keep the socket open forever. The timer goes when the socket does: left to run, it
  // held every closed connection (sockets, links, stages) for its 5 s — hundreds at a busy target's connection churn.
  const timer = setTimeout(() => stream.destroy(), 5_000).unref();
  stream.once('close', () => clearTimeout(timer));
}
