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
  eachField(resource, only, true, (path, text) => {
    out.push([path, text]);
    return true;
  });
  if (out.length <= MAX_FIELDS) return Object.fromEntries(out);
  const rest = out.slice(MAX_FIELDS - 1);
  return Object.fromEntries([...out.slice(0, MAX_FIELDS - 1), [TRUNCATED, hashed(JSON.stringify(rest))]]);
}

/**
 * True when `resource` flattens to exactly `acknowledged` (`resourceFields(resource, only)`, compared key by key),
 * without building the map: the ledger's batched read-back asks this of every write it confirms. The walk stops at the
 * first field that differs, and that answer (or too many fields to tell) comes from `resourceFields` itself, so it is
 * always the map comparison's.
 */
export function sameFields(acknowledged: Readonly<Record<string, string>>, resource: Readonly<Record<string, unknown>>, only?: readonly string[]): boolean {
  const seen = new Set<string>();
  let fields = 0;
  const allMatch = eachField(resource, only, false, (path, text) => {
    if (acknowledged[path] !== text) return false;
    seen.add(path);
    return ++fields < MAX_FIELDS;
  });
  if (!allMatch || TRUNCATED in acknowledged) return isSame(acknowledged, resourceFields(resource, only));
  // Every field (a path met twice, through a key holding `.` or `[`, too) matched: the map holds these paths with the
  // acknowledged values, so it is the acknowledged map when none of that is left over.
  return seen.size === Object.keys(acknowledged).length;
}

function isSame(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Calls `field` with each field's path and JSON value (long values hashed), in key order when `sorted`, until it
 * returns false; returns false then.
 */
function eachField(resource: Readonly<Record<string, unknown>>, only: readonly string[] | undefined, sorted: boolean, field: (path: string, text: string) => boolean): boolean {
  const keys = Object.keys(resource);
  if (sorted) keys.sort();
  for (const key of keys) {
    if (SERVER_MANAGED_FIELDS.includes(key)) continue;
    if (only && key !== 'resourceType' && key !== 'id' && !only.includes(key)) continue;
    if (!visit(resource[key], key, 0, sorted, field)) return false;
  }
  return true;
}

function visit(value: unknown, path: string, depth: number, sorted: boolean, field: (path: string, text: string) => boolean): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!visit(value[i], `${path}[${i}]`, depth + 1, sorted, field)) return false;
    return true;
  }
  if (typeof value === 'object' && depth < 32) {
    const keys = Object.keys(value);
    if (sorted) keys.sort();
    for (const k of keys) if (!visit((value as Record<string, unknown>)[k], `${path}.${k}`, depth + 1, sorted, field)) return false;
    return true;
  }
  const text = JSON.stringify(value) ?? String(value);
  return field(path, text.length > MAX_VALUE_CHARS ? hashed(text) : text);
}

const hashed = (text: string): string => `#sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
