/** @module chaos/api: the Toxiproxy v2 routes (api.go `Routes`) and their handlers. */
import type { ProxyMetrics } from '../proxy/metrics.js';
import { asApiError, ERR } from './api-error.js';
import type { ToxicProxy } from '../proxy/proxy.js';
import { checkRequired, loopbackListen, parseBody, readProxy, type ProxyInput } from './bodies.js';
import { goKind } from './go-json.js';
import { GoTypeError } from './go-struct.js';
import { proxyJson, toxicJson } from './render.js';
import type { ProxyRegistry } from './registry.js';

/** What a handler answers; `json` bodies are Go-marshalled by the server. */
export type Reply =
  | { readonly status: number; readonly json: unknown; readonly contentType?: string }
  | { readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly status: number; readonly empty: true };

interface RouteContext {
  readonly registry: ProxyRegistry;
  readonly metrics: ProxyMetrics;
  readonly params: readonly string[];
  readonly body: () => Promise<string>;
}

type Handler = (ctx: RouteContext) => Promise<Reply>;

export interface Route {
  readonly pattern: RegExp;
  readonly methods: readonly string[];
  readonly handler: Handler;
}

/** Toxiproxy reports 2.12.0's API; codeblue's server implements that version's routes and bodies. */
export const TOXIPROXY_API_VERSION = '2.12.0';

const noContent: Reply = { status: 204, empty: true };
const p = (ctx: RouteContext, i: number): string => ctx.params[i] as string;
const newProxyDefaults = (): ProxyInput => ({ name: '', listen: '', upstream: '', enabled: true, protocol: '' });

export const ROUTES: readonly Route[] = [
  { pattern: /^\/reset$/, methods: ['POST'], handler: async (c) => (await c.registry.reset(), noContent) },
  {
    pattern: /^\/proxies$/,
    methods: ['GET'],
    handler: async (c) => ({ status: 200, json: Object.fromEntries(c.registry.list().map((x) => [x.name, proxyJson(x)])) }),
  },
  {
    pattern: /^\/proxies$/,
    methods: ['POST'],
    handler: async (c) => {
      const input = parseBody(await c.body(), (v) => readProxy(v, newProxyDefaults()));
      return { status: 201, json: proxyJson(await c.registry.create(input)) };
    },
  },
  { pattern: /^\/populate$/, methods: ['POST'], handler: populate },
  { pattern: /^\/proxies\/([^/]+)$/, methods: ['GET'], handler: async (c) => ({ status: 200, json: proxyJson(c.registry.get(p(c, 0))) }) },
  {
    pattern: /^\/proxies\/([^/]+)$/,
    methods: ['POST', 'PATCH'],
    handler: async (c) => {
      const proxy = c.registry.get(p(c, 0));
      const current: ProxyInput = { name: proxy.name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled, protocol: proxy.protocol };
      const input = parseBody(await c.body(), (v) => readProxy(v, current));
      await c.registry.update(proxy, input);
      return { status: 200, json: proxyJson(proxy) };
    },
  },
  { pattern: /^\/proxies\/([^/]+)$/, methods: ['DELETE'], handler: async (c) => (await c.registry.remove(p(c, 0)), noContent) },
  {
    pattern: /^\/proxies\/([^/]+)\/toxics$/,
    methods: ['GET'],
    handler: async (c) => ({ status: 200, json: c.registry.get(p(c, 0)).toxics.list().map(toxicJson) }),
  },
  {
    pattern: /^\/proxies\/([^/]+)\/toxics$/,
    methods: ['POST'],
    handler: async (c) => {
      const proxy = c.registry.get(p(c, 0));
      const body = parseBody(await c.body(), (v) => v);
      return { status: 200, json: toxicJson(await c.registry.addToxic(proxy, body)) };
    },
  },
  {
    pattern: /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/,
    methods: ['GET'],
    handler: async (c) => {
      const toxic = c.registry.get(p(c, 0)).toxics.find(p(c, 1));
      if (!toxic) throw ERR.toxicNotFound;
      return { status: 200, json: toxicJson(toxic) };
    },
  },
  {
    pattern: /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/,
    methods: ['POST', 'PATCH'],
    handler: async (c) => {
      const proxy = c.registry.get(p(c, 0));
      if (!proxy.toxics.find(p(c, 1))) throw ERR.toxicNotFound;
      const body = parseBody(await c.body(), (v) => v);
      return { status: 200, json: toxicJson(await c.registry.updateToxic(proxy, p(c, 1), body)) };
    },
  },
  {
    pattern: /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/,
    methods: ['DELETE'],
    handler: async (c) => (await c.registry.removeToxic(c.registry.get(p(c, 0)), p(c, 1)), noContent),
  },
  {
    pattern: /^\/version$/,
    methods: ['GET'],
    handler: async () => ({ status: 200, text: `{"version": "${TOXIPROXY_API_VERSION}"}\n`, contentType: 'application/json;charset=utf-8' }),
  },
  {
    // Toxiproxy registers /metrics only with -proxy-metrics; codeblue always serves it.
    pattern: /^\/metrics$/,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    handler: async (c) => ({ status: 200, text: c.metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' }),
  },
];

/**
 * POST /populate: validate every item first (nothing created on a 400), then add or replace in order; stop at
 * the first failure. Errors, a bad body included, answer `application/json` with the proxies created so far
 * (`null` for none). The answer lists each item's proxy as it is once all are done: a proxy replaced by a
 * later item of the same name shows stopped (`enabled: false`), as Toxiproxy marshals after the loop.
 */
async function populate(c: RouteContext): Promise<Reply> {
  const goType = '[]struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
  const created: ToxicProxy[] = [];
  const rendered = (): unknown[] | null => (created.length > 0 ? created.map(proxyJson) : null);
  try {
    const items = parseBody(await c.body(), (v) => {
      if (v === null) return [];
      if (!Array.isArray(v)) throw new GoTypeError(`json: cannot unmarshal ${goKind(v)} into Go value of type ${goType}`);
      return v.map((item) => readProxy(item, newProxyDefaults(), goType));
    });
    items.forEach((item, i) => checkRequired(item, ` at proxy ${i + 1}`));
    for (const item of items) await c.registry.guard({ ...item, listen: loopbackListen(item.listen) });
    for (const item of items) created.push(await c.registry.addOrReplace(item));
  } catch (err) {
    const e = asApiError(err);
    return { status: e.status, json: { error: e.message, status: e.status, proxies: rendered() }, contentType: 'application/json' };
  }
  return { status: 201, json: { proxies: rendered() } };
}

