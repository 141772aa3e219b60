/** @module chaos/api: JSON exactly as Toxiproxy's Go `json.Marshal` writes it (key order, HTML escaping, float32). */
import type { ToxicProxy } from '../proxy/proxy.js';
import type { ToxicEntry } from '../proxy/stub.js';

/** Go escapes <, >, & and U+2028/2029 in JSON strings. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The shortest decimal that reads back as the same float32 (Go's float32 formatting). */
function float32Number(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

export function toxicJson(t: ToxicEntry): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const field of t.definition.fields) attributes[field.key] = t.attributes[field.key] ?? field.default;
  return { attributes, name: t.name, type: t.type, stream: t.stream, toxicity: float32Number(t.toxicity) };
}

/** `{"name","listen","upstream","enabled","Logger":{},"toxics":[…]}`; http proxies also carry `"protocol":"http"`. */
export function proxyJson(p: ToxicProxy): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled, Logger: {} };
  if (p.protocol === 'http') out.protocol = 'http';
  out.toxics = p.toxics.list().map(toxicJson);
  return out;
}
