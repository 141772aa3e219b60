/**
 * @module chaos/api: the server's proxies and every operation of the Toxiproxy API on them, with Toxiproxy's
 * checks in Toxiproxy's order. Errors are `ApiError`s; bind failures are plain errors (500 with Go's text).
 */
import type { NetGuard } from '../../core/net-guard.js';
import type { TargetPolicy } from '../../core/target-guard.js';
import type { Random } from '../rng.js';
import { formatBound, resolveListen } from '../proxy/listen-address.js';
import type { ProxyMetrics } from '../proxy/metrics.js';
import { ToxicProxy, type ProxyProtocol } from '../proxy/proxy.js';
import type { Direction, ToxicEntry } from '../proxy/stub.js';
import { findToxic } from '../toxics/registry.js';
import { ApiError, ERR } from './api-error.js';
import { checkRequired, guardAddresses, loopbackListen, readToxic, readToxicUpdate, type ProxyInput } from './bodies.js';
import { GoTypeError } from './go-struct.js';
import type { GoValue } from './go-json.js';
import type { NativeRelay } from '../proxy/native-relay.js';
import { decodeAttributes, defaultAttributes } from './toxic-attributes.js';

export class ProxyRegistry {
  private readonly proxies = new Map<string, ToxicProxy>();

  constructor(private readonly deps: {
    readonly random: Random;
    readonly metrics: ProxyMetrics;
    /** Which upstream hosts beyond loopback proxies may forward to (default: none). */
    readonly upstreamPolicy?: TargetPolicy;
    /** Every upstream dial goes through it (default: loopback only). */
    readonly guard?: NetGuard;
    /** Relays toxic-less TCP connections natively (default: none, the JS relay). */
    readonly relay?: NativeRelay;
  }) {}

  /** Sorted by name, as Go's JSON map encoding. */
  list(): ToxicProxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): ToxicProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw ERR.proxyNotFound;
    return proxy;
  }

  /** ProxyCreate: required fields → 409 before bind → guard → bind (500 on failure, nothing kept). */
  async create(raw: ProxyInput): Promise<ToxicProxy> {
    checkRequired(raw);
    if (this.proxies.has(raw.name)) throw ERR.proxyAlreadyExists;
    const input = { ...raw, listen: loopbackListen(raw.listen) };
    await this.guard(input);
    return this.add(input);
  }

  /** The target guard on a proxy's addresses, with the server's upstream policy. */
  guard(input: { listen: string; upstream: string }): Promise<void> {
    return guardAddresses(input, this.deps.upstreamPolicy);
  }

  /** Populate's AddOrReplace: an unchanged proxy is kept as is (with its toxics), a changed one replaced. */
  async addOrReplace(raw: ProxyInput): Promise<ToxicProxy> {
    const input = { ...raw, listen: loopbackListen(raw.listen) };
    const existing = this.proxies.get(input.name);
    if (existing) {
      const same = existing.upstream === input.upstream && (existing.listen === input.listen || (await sameBound(existing, input.listen)));
      if (same) return existing;
      await existing.dispose();
      this.proxies.delete(input.name);
    }
    return this.add(input);
  }

  async update(proxy: ToxicProxy, raw: ProxyInput): Promise<void> {
    const input = raw.listen === proxy.listen ? raw : { ...raw, listen: loopbackListen(raw.listen) };
    await this.guard(input);
    await proxy.update(input);
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.dispose();
  }

  /** POST /reset: re-enable every proxy, then remove every toxic. */
  async reset(): Promise<void> {
    for (const proxy of this.list()) {
      await proxy.start();
      await proxy.toxics.removeAll();
    }
  }

  async disposeAll(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((p) => p.dispose()));
  }

  /** ToxicCreate: decode → stream → default name → type → unique name (both streams) → attributes. */
  async addToxic(proxy: ToxicProxy, body: GoValue): Promise<ToxicEntry> {
    const input = withGoErrors(() => readToxic(body));
    const direction = input.stream.toLowerCase();
    if (direction !== 'upstream' && direction !== 'downstream') throw ERR.invalidStream;
    const name = input.name === '' ? `${input.type}_${input.stream}` : input.name;
    const definition = findToxic(input.type);
    if (!definition) throw ERR.invalidToxicType;
    if (proxy.toxics.find(name)) throw ERR.toxicAlreadyExists;
    const attributes = withGoErrors(() => decodeAttributes(definition, input.attributes, defaultAttributes(definition)));
    if (definition.needsHttp && proxy.protocol !== 'http') {
      throw ApiError.join(ERR.needsHttpProxy, `toxic type ${definition.type} needs a proxy created with "protocol": "http" (codeblue's embedded server only)`);
    }
    const entry: ToxicEntry = { name, type: definition.type, stream: input.stream, direction: direction as Direction, toxicity: input.toxicity, attributes, definition };
    await proxy.toxics.add(entry);
    return entry;
  }

  /** ToxicUpdate: attributes merge into the current ones; name, type and stream in the body are ignored. */
  async updateToxic(proxy: ToxicProxy, name: string, body: GoValue): Promise<ToxicEntry> {
    const current = proxy.toxics.find(name);
    if (!current) throw ERR.toxicNotFound;
    const { toxicity, attributes } = withGoErrors(() => readToxicUpdate(body, current.toxicity));
    const merged = withGoErrors(() => decodeAttributes(current.definition, attributes, current.attributes));
    const entry: ToxicEntry = { ...current, toxicity, attributes: merged };
    await proxy.toxics.update(entry);
    return entry;
  }

  async removeToxic(proxy: ToxicProxy, name: string): Promise<void> {
    if (!proxy.toxics.find(name)) throw ERR.toxicNotFound;
    await proxy.toxics.remove(name);
  }

  private async add(input: ProxyInput): Promise<ToxicProxy> {
    const protocol: ProxyProtocol = input.protocol === 'http' ? 'http' : 'tcp';
    const proxy = new ToxicProxy(input.name, input, protocol, this.deps);
    if (input.enabled) await proxy.start();
    this.proxies.set(input.name, proxy);
    return proxy;
  }
}

function withGoErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GoTypeError) throw ApiError.join(ERR.badRequestBody, err.message);
    throw err;
  }
}

async function sameBound(proxy: ToxicProxy, listen: string): Promise<boolean> {
  try {
    const target = await resolveListen(listen);
    return target.port !== 0 && formatBound(target.host, target.port) === proxy.listen;
  } catch {
    return false;
  }
}
