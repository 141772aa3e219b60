/**
 * @module chaos/proxy: one named proxy: a listener, its upstream, its toxics and its open connections
 * (Toxiproxy `Proxy`). Disabling closes the listener and every connection; the upstream is dialled per client.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { LOOPBACK_GUARD, type NetGuard } from '../../core/net-guard.js';
import type { Random } from '../rng.js';
import { ProxyConnection } from './connection.js';
import { duplexPair } from './duplex-pair.js';
import { HttpBridge } from './http-bridge.js';
import { bindErrorText, formatBound, ListenError, resolveListen, splitHostPort } from './listen-address.js';
import type { ProxyMetrics } from './metrics.js';
import type { NativeRelay } from './native-relay.js';
import { ToxicCollection } from './toxic-collection.js';

export type ProxyProtocol = 'tcp' | 'http';

export interface ProxyFields {
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

export interface ProxyDeps {
  readonly random: Random;
  readonly metrics: ProxyMetrics;
  /** Checks every upstream dial's resolved address (default: loopback only, the embedded server's rule). */
  readonly guard?: NetGuard;
  /** Moves toxic-less TCP connections off the JS thread (default: none, the JS relay). */
  readonly relay?: NativeRelay;
}

export class ToxicProxy {
  /** As reported: the bound address once started (`127.0.0.1:P`), the given string before. */
  listen: string;
  upstream: string;
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: Server | undefined;
  private readonly connections = new Set<ProxyConnection>();
  private readonly bridge: HttpBridge | undefined;
  private readonly guard: NetGuard;

  constructor(
    readonly name: string,
    fields: { listen: string; upstream: string },
    readonly protocol: ProxyProtocol,
    private readonly deps: ProxyDeps,
  ) {
    this.listen = fields.listen;
    this.upstream = fields.upstream;
    this.guard = (deps.guard ?? LOOPBACK_GUARD).withKey(`upstream of proxy "${name}" (proxies[].upstream)`);
    this.bridge =
      protocol === 'http'
        ? new HttpBridge({ toxics: this.toxics, random: deps.random, upstream: () => this.upstream, guard: this.guard })
        : undefined;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Binds the listener; throws `ListenError` with Go's text. A no-op when already started. */
  async start(): Promise<void> {
    if (this.server) return;
    const target = await resolveListen(this.listen);
    const server = createServer({ pauseOnConnect: true, noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(bindErrorText(this.listen, err))));
      server.listen({ host: target.host === '' ? undefined : target.host, port: target.port, backlog: 4096 }, resolve);
    });
    server.on('error', () => undefined);
    const address = server.address();
    if (address && typeof address === 'object') this.listen = formatBound(address.address, address.port);
    this.server = server;
    this.enabled = true;
  }

  /** Closes the listener and every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.enabled = false;
    for (const connection of [...this.connections]) connection.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Toxiproxy `Update`: restart when the resolved listen or the upstream changed, then apply `enabled`. */
  async update(input: ProxyFields): Promise<void> {
    const resolved = await resolveListen(input.listen);
    const sameListen = formatBound(resolved.host, resolved.port) === this.listen || input.listen === this.listen;
    if (!sameListen || input.upstream !== this.upstream) {
      await this.stop();
      this.listen = input.listen;
      this.upstream = input.upstream;
    }
    if (input.enabled && !this.server) await this.start();
    else if (!input.enabled && this.server) await this.stop();
  }

  /** Stops and releases everything (delete). */
  async dispose(): Promise<void> {
    await this.stop();
    this.bridge?.close();
  }

  private accept(client: Socket): void {
    client.on('error', () => client.destroy());
    const parts = splitHostPort(this.upstream);
    if (!parts) {
      client.destroy();
      return;
    }
    const deps = {
      toxics: this.toxics,
      random: this.deps.random,
      metrics: this.deps.metrics,
      labels: () => ({ proxy: this.name, listener: this.listen, upstream: this.upstream }),
      onClosed: (c: ProxyConnection) => this.connections.delete(c),
      relay: this.bridge ? undefined : this.deps.relay,
    };
    if (this.bridge) {
      const [inner, outer] = duplexPair();
      this.connections.add(new ProxyConnection(client, inner, deps));
      this.bridge.accept(outer);
      return;
    }
    // The upstream is dialled per client, through the guard (a name is checked each time it is resolved);
    // if that fails or is refused, the client is closed at once (Toxiproxy does the same).
    const upstream = this.guard.connect(parts.host, Number(parts.port));
    upstream.once('error', () => client.destroy());
    upstream.once('connect', () => {
      if (!this.server || client.destroyed) {
        upstream.destroy();
        client.destroy();
        return;
      }
      this.connections.add(new ProxyConnection(client, upstream, deps));
    });
  }
}
