/**
 * @module core: a FHIR resource as a flat, canonical map of its fields — what the acknowledged-write ledger keeps
 * at write time and compares at read-back. Key order never matters; array order does (FHIR arrays are ordered).
 */
import { createHash } from 'node:crypto';

/**
 * Top-level elements the server owns and may change without the data changing: `meta` (FHIR R4 §2.30:
 * `versionId` and `lastUpdated` are set by the server on every write; servers also add tags and profiles) and
 * `text` (the narrative, which a server may generate or regenerate from the data).
 */
export const SERVER_MANAGED_FIELDS: readonly string[] = ['meta', 'text'];

/** Values longer than this are kept as a short hash (a 10 kB note still compares, without being stored twice). */
const MAX_VALUE_CHARS = 200;
/** Fields kept per resource; past this, the rest is one `…` entry with a hash of the remainder. */
const MAX_FIELDS = 500;

/**
 * Flattens a resource to `path → JSON value`, e.g. `{ 'name[0].family': '"Roe"', birthDate: '"1980-02-03"' }`,
 * leaving out `SERVER_MANAGED_FIELDS`, nulls and empty arrays/objects (a server may drop those).
 * @example resourceFields({ resourceType: 'Patient', id: '1', meta: { versionId: '2' }, name: [{ family: 'Roe' }] })
 * // { resourceType: '"Patient"', id: '"1"', 'name[0].family': '"Roe"' }
 */
export function resourceFields(resource: Readonly<Record<string, unknown>>, only?: readonly string[]): Record<string, string> {
  const out: [string, string][] = [];
  const keys = Object.keys(resource).sort();
  for (const key of keys) {
    if (SERVER_MANAGED_FIELDS.includes(key)) continue;
    if (only && key !== 'resourceType' && key !== 'id' && !only.includes(key)) continue;
    visit(resource[key], key, out, 0);
  }
  if (out.length <= MAX_FIELDS) return Object.fromEntries(out);
  const rest = out.slice(MAX_FIELDS - 1);
  return Object.fromEntries([...out.slice(0, MAX_FIELDS - 1), ['…', hashed(JSON.stringify(rest))]]);
}

function visit(value: unknown, path: string, out: [string, string][], depth: number): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => visit(v, `${path}[${i}]`, out, depth + 1));
    return;
  }
  if (typeof value === 'object' && depth < 32) {
    for (const k of Object.keys(value).sort()) visit((value as Record<string, unknown>)[k], `${path}.${k}`, out, depth + 1);
    return;
  }
  const text = JSON.stringify(value) ?? String(value);
  out.push([path, text.length > MAX_VALUE_CHARS ? hashed(text) : text]);
}

const hashed = (text: string): string => `#sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
