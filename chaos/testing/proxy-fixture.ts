/** @module chaos/testing: @internal a chaos server + one proxy in front of a test upstream, driven by toxiproxy-node-client. */
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { startChaosServer, type ChaosServer } from '../index.js';
import { portOf } from './net.js';

export interface ProxyFixture {
  readonly server: ChaosServer;
  readonly client: Toxiproxy;
  readonly proxy: Proxy;
  /** Port the proxy listens on. */
  readonly port: number;
  /** Adds a toxic through the client. */
  addToxic(body: { type: string; name?: string; stream?: string; toxicity?: number; attributes?: Record<string, unknown> }): Promise<void>;
  close(): Promise<void>;
}

export async function proxyFixture(upstream: string, options: { seed?: number; protocol?: 'http'; nativeRelay?: boolean } = {}): Promise<ProxyFixture> {
  const server = await startChaosServer({ host: '127.0.0.1', port: 0, seed: options.seed ?? 1, ...(options.nativeRelay === undefined ? {} : { nativeRelay: options.nativeRelay }) });
  const client = new Toxiproxy(server.url);
  const body = { name: 'fixture', listen: '127.0.0.1:0', upstream, ...(options.protocol ? { protocol: options.protocol } : {}) };
  const proxy = await client.createProxy(body);
  return {
    server,
    client,
    proxy,
    port: portOf(proxy.listen),
    addToxic: async (toxic) => {
      await proxy.addToxic({ attributes: {}, ...toxic } as never);
    },
    close: () => server.close(),
  };
}
