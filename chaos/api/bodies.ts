/** @module chaos/api: the request bodies of the Toxiproxy API, decoded with Go's rules and error texts. */
import { assertListenAllowed } from '../../core/net-guard-listen.js';
import { assertTargetAllowed, LOOPBACK_ONLY, type TargetPolicy } from '../../core/target-guard.js';
import { splitHostPort } from '../proxy/listen-address.js';
import { ApiError, ERR } from './api-error.js';
import { decodeGoJson, GoJsonError, type GoValue } from './go-json.js';
import { decodeStruct, GoTypeError, member, type GoField } from './go-struct.js';

/** Parses a body; any Go decode failure becomes `400 bad request body: <go text>`. */
export function parseBody<T>(body: string, read: (value: GoValue) => T): T {
  try {
    return read(decodeGoJson(body));
  } catch (err) {
    if (err instanceof GoJsonError || err instanceof GoTypeError) throw ApiError.join(ERR.badRequestBody, err.message);
    throw err;
  }
}

export interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  /** codeblue extension (ignored by real Toxiproxy): `"http"` enables the HTTP toxics. */
  protocol: string;
}

const PROXY_FIELDS: readonly GoField[] = [
  { key: 'name', type: 'string' },
  { key: 'listen', type: 'string' },
  { key: 'upstream', type: 'string' },
  { key: 'enabled', type: 'bool' },
  { key: 'protocol', type: 'string' },
];

/** Decodes a proxy object over `defaults` (create: enabled true; update: the current values). */
export function readProxy(value: GoValue, defaults: ProxyInput, goValueName = 'toxiproxy.Proxy'): ProxyInput {
  const target = { ...defaults } as Record<string, unknown>;
  decodeStruct(value, target, PROXY_FIELDS, { struct: 'Proxy', value: goValueName });
  return target as unknown as ProxyInput;
}

/** Toxiproxy `ProxyCreate` checks: name, then upstream; plus codeblue's protocol check. */
export function checkRequired(input: ProxyInput, suffix = ''): void {
  if (input.name.length < 1) throw ApiError.join(ERR.missingField, `name${suffix}`);
  if (input.upstream.length < 1) throw ApiError.join(ERR.missingField, `upstream${suffix}`);
  if (!['', 'tcp', 'http'].includes(input.protocol)) {
    throw ApiError.join(ERR.badRequestBody, `protocol must be "tcp" or "http", got ${JSON.stringify(input.protocol)}`);
  }
}

/**
 * A listen address without a host (`""`, `":0"`, `":8666"`) binds all interfaces in Toxiproxy (Go's
 * `net.Listen`, reported as `[::]:N`); codeblue binds loopback instead, so such a proxy still gets a
 * (random) port and a 201, on 127.0.0.1.
 */
export function loopbackListen(listen: string): string {
  if (listen === '') return '127.0.0.1:0';
  const parts = splitHostPort(listen);
  // Only well-formed ports: a bad one keeps its text, so the bind fails with Toxiproxy's own message.
  return parts && parts.host === '' && /^\d*$/.test(parts.port) ? `127.0.0.1:${parts.port === '' ? '0' : parts.port}` : listen;
}

/**
 * codeblue's safety rule: proxies only listen on and forward to loopback (core target guard). A standalone
 * server may allow listed upstream hosts (`codeblue chaos serve --allow-upstream HOST`); listeners stay loopback.
 * Malformed addresses are left to the listener so they fail with Toxiproxy's own text.
 */
export async function guardAddresses(input: { listen: string; upstream: string }, upstreamPolicy: TargetPolicy = LOOPBACK_ONLY): Promise<void> {
  for (const [what, address] of [['listen', input.listen], ['upstream', input.upstream]] as const) {
    const parts = splitHostPort(address);
    if (!parts && what === 'listen') continue;
    try {
      // Listeners follow core's one listener rule; upstreams are also checked again on every dial (net guard).
      if (what === 'listen') await assertListenAllowed(parts ? parts.host : address, LOOPBACK_ONLY, 'listen');
      else await assertTargetAllowed(parts ? parts.host || '0.0.0.0' : address, upstreamPolicy);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const allowed = what === 'upstream' ? ' or upstream hosts allowed with --allow-upstream' : '';
      throw ApiError.join(ERR.targetNotAllowed, `${what} ${address}: ${reason} (codeblue's embedded server only proxies loopback${allowed})`);
    }
  }
}

export interface ToxicInput {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: GoValue | undefined;
}

const TOXIC_FIELDS: readonly GoField[] = [
  { key: 'name', type: 'string' },
  { key: 'type', type: 'string' },
  { key: 'stream', type: 'string' },
  { key: 'toxicity', type: 'float32' },
];

/** Toxiproxy `AddToxicJson` first pass: the wrapper with defaults stream downstream, toxicity 1. */
export function readToxic(value: GoValue): ToxicInput {
  const target: Record<string, unknown> = { name: '', type: '', stream: 'downstream', toxicity: 1 };
  decodeStruct(value, target, TOXIC_FIELDS, { struct: 'ToxicWrapper', value: 'toxics.ToxicWrapper' });
  return { ...(target as Omit<ToxicInput, 'attributes'>), attributes: member(value, 'attributes') };
}

/** Toxic update body: `{attributes?, toxicity?}`; omitted toxicity keeps the current one. */
export function readToxicUpdate(value: GoValue, toxicity: number): { toxicity: number; attributes: GoValue | undefined } {
  const target: Record<string, unknown> = { toxicity };
  decodeStruct(value, target, [{ key: 'toxicity', type: 'float32' }], { struct: '', value: 'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }' });
  return { toxicity: target.toxicity as number, attributes: member(value, 'attributes') };
}
