/**
 * @module chaos/api: fills a Go-like struct from a decoded JSON value with `encoding/json`'s rules: keys match
 * case-insensitively, unknown keys and nulls are ignored, and type mismatches give Go's `cannot unmarshal` text.
 */
import { GoNumber, GoObject, goKind, type GoValue } from './go-json.js';

type GoType = 'string' | 'bool' | 'float32' | 'float64' | 'int64' | 'int' | '[]string';

export interface GoField {
  readonly key: string;
  readonly type: GoType;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** Thrown with Go's `json: cannot unmarshal …` message. */
export class GoTypeError extends Error {}

function convert(value: GoValue, type: GoType, where: () => string): unknown {
  const mismatch = (what: string): never => {
    throw new GoTypeError(`json: cannot unmarshal ${what} into ${where()} of type ${type}`);
  };
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : mismatch(goKind(value));
    case 'bool':
      return typeof value === 'boolean' ? value : mismatch(goKind(value));
    case 'int64':
    case 'int': {
      if (!(value instanceof GoNumber)) return mismatch(goKind(value));
      if (!/^-?\d+$/.test(value.raw)) return mismatch(`number ${value.raw}`);
      const big = BigInt(value.raw);
      return big < INT64_MIN || big > INT64_MAX ? mismatch(`number ${value.raw}`) : Number(big);
    }
    case 'float32':
    case 'float64': {
      if (!(value instanceof GoNumber)) return mismatch(goKind(value));
      const n = value.value;
      const limit = type === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
      return Number.isFinite(n) && Math.abs(n) <= limit ? n : mismatch(`number ${value.raw}`);
    }
    case '[]string': {
      if (!Array.isArray(value)) return mismatch(goKind(value));
      return value.map((item) => (item === null ? '' : convert(item, 'string', where)));
    }
  }
}

/** Matches a JSON key to a field: exact first, then case-insensitive (Go's rule). */
function fieldFor(fields: readonly GoField[], key: string): GoField | undefined {
  return fields.find((f) => f.key === key) ?? fields.find((f) => f.key.toLowerCase() === key.toLowerCase());
}

/** Go's lookup of a key in an object (for nested values such as `attributes`). */
export function member(value: GoValue, key: string): GoValue | undefined {
  if (!(value instanceof GoObject)) return undefined;
  let found: GoValue | undefined;
  for (const [k, v] of value.entries) if (k === key || k.toLowerCase() === key.toLowerCase()) found = v;
  return found;
}

/**
 * Decodes `value` into `target` (which holds the defaults). `goName` names the struct in messages
 * (`Proxy`, `ToxicWrapper`, `LatencyToxic`), `path` prefixes field names (`attributes.`).
 * Go keeps decoding after a type error and reports the first one; so does this.
 */
export function decodeStruct(
  value: GoValue,
  target: Record<string, unknown>,
  fields: readonly GoField[],
  names: { readonly struct: string; readonly value: string; readonly path?: string },
): void {
  if (value === null) return;
  if (!(value instanceof GoObject)) throw new GoTypeError(`json: cannot unmarshal ${goKind(value)} into Go value of type ${names.value}`);
  let first: GoTypeError | undefined;
  for (const [key, item] of value.entries) {
    const field = fieldFor(fields, key);
    if (!field || item === null) continue;
    try {
      target[field.key] = convert(item, field.type, () => `Go struct field ${names.struct}.${names.path ?? ''}${field.key}`);
    } catch (err) {
      first ??= err as GoTypeError;
    }
  }
  if (first) throw first;
}
