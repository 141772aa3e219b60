/**
 * @module chaos/proxy: one client connection: two links (upstream = client→server, downstream = server→client)
 * between the client socket and the server side, closed together.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Random } from '../rng.js';
import { ToxicLink } from './link.js';
import type { ProxyLabels, ProxyMetrics } from './metrics.js';
import type { Direction } from './stub.js';
import type { ToxicCollection } from './toxic-collection.js';

export interface ConnectionDeps {
  readonly toxics: ToxicCollection;
  readonly random: Random;
  readonly metrics: ProxyMetrics;
  readonly labels: () => ProxyLabels;
  readonly onClosed: (connection: ProxyConnection) => void;
}

export class ProxyConnection {
  private readonly links: ToxicLink[] = [];
  private closed = false;

  constructor(
    private readonly client: Socket,
    private readonly server: Duplex,
    private readonly deps: ConnectionDeps,
  ) {
    client.on('error', () => this.close());
    server.on('error', () => this.close());
    this.links.push(this.link('upstream', client, server), this.link('downstream', server, client));
    for (const link of this.links) deps.toxics.register(link);
    for (const link of this.links) link.start();
    client.resume();
  }

  /** Closes both sides after pending writes flush (Toxiproxy closes the whole connection when one link ends). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const link of this.links) {
      link.close();
      this.deps.toxics.unregister(link);
    }
    destroySoon(this.client);
    destroySoon(this.server);
    this.deps.onClosed(this);
  }

  /** Closes both sockets at once with RST (reset_peer, and proxy shutdown). */
  reset(): void {
    if (!this.client.destroyed) this.client.resetAndDestroy();
    const server = this.server as Partial<Socket> & Duplex;
    if (typeof server.resetAndDestroy === 'function' && !server.destroyed) server.resetAndDestroy();
    else server.destroy();
    this.close();
  }

  /** Hard close without flushing (proxy disabled or deleted). */
  destroy(): void {
    this.client.destroy();
    this.server.destroy();
    this.close();
  }

  private link(direction: Direction, input: Duplex, output: Duplex): ToxicLink {
    // Labels are fixed for a connection's life: a listen or upstream change restarts the proxy.
    const counter = this.deps.metrics.counter(this.deps.labels(), direction);
    return new ToxicLink(direction, this.deps.toxics.chain(direction), input, output, {
      random: this.deps.random,
      onReceived: (n) => void (counter.received += n),
      onSent: (n) => void (counter.sent += n),
      onEnd: () => this.close(),
      onReset: () => this.reset(),
    });
  }
}

function destroySoon(stream: Duplex): void {
  if (stream.destroyed) return;
  if (stream.writableFinished || !stream.writable) {
    stream.destroy();
    return;
  }
  stream.end(() => stream.destroy());
  // A peer that never reads must not keep the socket open forever.
  setTimeout(() => stream.destroy(), 5_000).unref();
}
