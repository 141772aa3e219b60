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
/** The key of the fields past MAX_FIELDS (a hash of them). */
const TRUNCATED = '…';

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
  return Object.fromEntries([...out.slice(0, MAX_FIELDS - 1), [TRUNCATED, hashed(JSON.stringify(rest))]]);
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

/**
 * True when `resource` flattens to exactly `acknowledged` (what `resourceFields(resource, only)` would give, compared
 * key by key), without building the map: the ledger's batched read-back asks this of every write it confirms. When
 * the walk cannot be sure cheaply (a key holding `.` or `[`, whose paths could collide; more than MAX_FIELDS fields),
 * it asks `resourceFields` itself.
 */
export function sameFields(acknowledged: Readonly<Record<string, string>>, resource: Readonly<Record<string, unknown>>, only?: readonly string[]): boolean {
  let fields = 0;
  let unsure = false;
  // False at the first difference, and when unsure (then the caller's answer comes from resourceFields).
  const matches = (value: unknown, path: string, depth: number): boolean => {
    if (value === null || value === undefined) return true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (!matches(value[i], `${path}[${i}]`, depth + 1)) return false;
      return true;
    }
    if (typeof value === 'object' && depth < 32) {
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        if (k.includes('.') || k.includes('[')) unsure = true;
        if (unsure || !matches((value as Record<string, unknown>)[k], `${path}.${k}`, depth + 1)) return false;
      }
      return true;
    }
    if (++fields >= MAX_FIELDS) unsure = true;
    if (unsure) return false;
    const text = JSON.stringify(value) ?? String(value);
    return acknowledged[path] === (text.length > MAX_VALUE_CHARS ? hashed(text) : text);
  };
  let same = true;
  for (const key in resource) {
    if (!Object.hasOwn(resource, key) || SERVER_MANAGED_FIELDS.includes(key)) continue;
    if (only && key !== 'resourceType' && key !== 'id' && !only.includes(key)) continue;
    if (key.includes('.') || key.includes('[')) unsure = true;
    if (unsure || !matches(resource[key], key, 0)) {
      same = false;
      break;
    }
  }
  // A difference is only sure when no two paths can collide; the rare unsure answer comes from the whole map.
  if (unsure || (!same && hasCollidingKey(resource)) || TRUNCATED in acknowledged) return isSame(acknowledged, resourceFields(resource, only));
  // Every field walked matched a distinct acknowledged one (paths are unique without `.` or `[` in keys): equal when
  // none of the acknowledged fields is left over.
  return same && fields === Object.keys(acknowledged).length;
}

/** True when some key holds `.` or `[`, so two paths could read the same. */
function hasCollidingKey(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth >= 32) return false;
  if (Array.isArray(value)) return value.some((v) => hasCollidingKey(v, depth + 1));
  return Object.keys(value).some((k) => k.includes('.') || k.includes('[') || hasCollidingKey((value as Record<string, unknown>)[k], depth + 1));
}

function isSame(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
