/**
 * @module chaos/proxy: one client connection: two links (upstream = client→server, downstream = server→client)
 * between the client socket and the server side, closed together. A TCP connection born without toxics is
 * relayed by the native relay when there is one, and taken back by JS before its first toxic change.
 */
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Random } from '../rng.js';
import { destroySoon } from './destroy-soon.js';
import { ToxicLink } from './link.js';
import type { ByteCounter, ProxyLabels, ProxyMetrics } from './metrics.js';
import type { InFlight, NativeRelay, RelayedConnection } from './native-relay.js';
import type { Direction } from './stub.js';
import type { ToxicCollection } from './toxic-collection.js';

export interface ConnectionDeps {
  readonly toxics: ToxicCollection;
  readonly random: Random;
  readonly metrics: ProxyMetrics;
  readonly labels: () => ProxyLabels;
  readonly onClosed: (connection: ProxyConnection) => void;
  /** Relays toxic-less TCP connections off the JS thread when given (see native-relay.ts). */
  readonly relay?: NativeRelay;
}

export class ProxyConnection {
  private readonly links: ToxicLink[] = [];
  private readonly counters: Record<Direction, ByteCounter>;
  private closed = false;
  /** Set while the native relay moves this connection's bytes. */
  private relayed: RelayedConnection | undefined;
  /** The relay's byte counts already added to `counters`. */
  private readonly counted = new Float64Array(4);

  constructor(
    private readonly client: Socket,
    private readonly server: Duplex,
    private readonly deps: ConnectionDeps,
  ) {
    client.on('error', () => this.close());
    server.on('error', () => this.close());
    this.counters = { upstream: deps.metrics.counter(deps.labels(), 'upstream'), downstream: deps.metrics.counter(deps.labels(), 'downstream') };
    this.links.push(this.link('upstream', client, server), this.link('downstream', server, client));
    for (const link of this.links) deps.toxics.register(link);
    const offload = deps.relay !== undefined && server instanceof Socket && this.links.every((l) => l.isDirect);
    // Paused before the links listen, so neither socket starts reading in JS (the client is paused on accept).
    if (offload) server.pause();
    for (const link of this.links) link.start();
    if (offload) this.relayed = deps.relay?.attach(client, server as Socket, (reason, inFlight) => this.relayEnded(reason, inFlight));
    if (this.relayed) {
      deps.metrics.addSource(this.syncCounters);
      return;
    }
    client.resume();
    if (offload) server.resume();
  }

  /** True while the native relay moves this connection's bytes. @internal for tests. */
  get isRelayed(): boolean {
    return this.relayed !== undefined;
  }

  /** Closes both sides after pending writes flush (Toxiproxy closes the whole connection when one link ends). */
  close(): void {
    if (this.closed) return;
    this.release();
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
    this.release();
    if (!this.client.destroyed) this.client.resetAndDestroy();
    const server = this.server as Partial<Socket> & Duplex;
    if (typeof server.resetAndDestroy === 'function' && !server.destroyed) server.resetAndDestroy();
    else server.destroy();
    this.close();
  }

  /** Hard close without flushing (proxy disabled or deleted). */
  destroy(): void {
    this.release();
    this.client.destroy();
    this.server.destroy();
    this.close();
  }

  /** Takes the connection back from the native relay (a toxic is about to change): JS relays it from now on. */
  private claim(): void {
    if (!this.release()) return;
    this.client.resume();
    this.server.resume();
  }

  /** Leaves the native relay, writing what it held in flight first; false when it was not relayed or already ended. */
  private release(): boolean {
    const inFlight = this.relayed?.detach();
    if (!inFlight) return false;
    this.settle(inFlight);
    return true;
  }

  /** The relay saw EOF or an error on one side: close as the JS relay does (after what was in flight). */
  private relayEnded(_reason: 'eof' | 'error', inFlight: InFlight): void {
    if (!this.relayed) return;
    this.settle(inFlight, !this.closed);
    this.close();
  }

  private settle(inFlight: InFlight, write = true): void {
    this.syncCounters();
    this.deps.metrics.removeSource(this.syncCounters);
    this.relayed = undefined;
    if (!write) return;
    if (inFlight.toServer.length > 0 && !this.server.destroyed) {
      this.server.write(inFlight.toServer);
      this.counters.upstream.sent += inFlight.toServer.length;
    }
    if (inFlight.toClient.length > 0 && !this.client.destroyed) {
      this.client.write(inFlight.toClient);
      this.counters.downstream.sent += inFlight.toClient.length;
    }
  }

  /** Adds what the relay thread moved since the last call to the byte counters (run before each /metrics render). */
  private readonly syncCounters = (): void => {
    const stats = this.relayed?.stats;
    if (!stats) return;
    const delta = (i: number): number => {
      const d = (stats[i] as number) - (this.counted[i] as number);
      this.counted[i] = stats[i] as number;
      return d;
    };
    this.counters.upstream.received += delta(0);
    this.counters.upstream.sent += delta(1);
    this.counters.downstream.received += delta(2);
    this.counters.downstream.sent += delta(3);
  };

  private link(direction: Direction, input: Duplex, output: Duplex): ToxicLink {
    // Labels are fixed for a connection's life: a listen or upstream change restarts the proxy.
    const counter = this.counters[direction];
    return new ToxicLink(direction, this.deps.toxics.chain(direction), input, output, {
      random: this.deps.random,
      onReceived: (n) => void (counter.received += n),
      onSent: (n) => void (counter.sent += n),
      onEnd: () => this.close(),
      onReset: () => this.reset(),
      claim: () => this.claim(),
    });
  }
}
