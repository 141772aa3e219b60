/**
 * @module collectors/otlp: shared pieces of turning a decoded export request (protobufjs message or
 * OTLP/JSON object — both use lowerCamelCase keys) into plain records: ids, timestamps, attributes.
 */
import { Limiter } from './limits.js';
import type { AttributeValue, Attributes } from './types.js';

/** The request's outer shape is wrong (not a list where one is due, …): answered with 400. */
export class OtlpShapeError extends Error {
  override readonly name = 'OtlpShapeError';
}

/** A single record is invalid (bad id length, …): rejected through partial success. */
export class RecordRejection extends Error {
  override readonly name = 'RecordRejection';
}

/** Items kept of an array or kvlist inside an attribute value (the SDK limits none; strings in them are cut). */
const MAX_NESTED_ITEMS = 1024;
/** AnyValue nesting kept (arrays and kvlists inside each other). */
const MAX_VALUE_DEPTH = 8;

type Obj = Record<string, unknown>;
interface LongLike {
  readonly low: number;
  readonly high: number;
  toString(): string;
}

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The list at `obj[key]`: absent → [], a list → it, anything else → the request is malformed. */
export function listOf(obj: Obj, key: string, where: string): readonly unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpShapeError(`${where}.${key} must be a list`);
  return v;
}

/** The message at `obj[key]`, or undefined; a non-object is malformed. */
export function messageOf(obj: Obj, key: string, where: string): Obj | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new OtlpShapeError(`${where}.${key} must be an object`);
  return v;
}

export function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A non-negative integer from a protobuf number/Long or a JSON number/decimal string. */
export function uintOf(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.trunc(v) : 0;
  if (typeof v === 'string') return /^\d+$/.test(v) ? Number(v) : 0;
  if (isLong(v)) return (v.high >>> 0) * 4294967296 + (v.low >>> 0);
  return 0;
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A trace/span id as lower-case hex. Protobuf gives bytes; OTLP/JSON gives case-insensitive hex
 * (opentelemetry-proto docs/specification.md "JSON Protobuf Encoding"). Empty → ''.
 */
export function idOf(v: unknown, bytes: number, what: string): string {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return '';
  if (v instanceof Uint8Array) {
    if (v.length === 0) return '';
    if (v.length !== bytes) throw new RecordRejection(`${what} must be ${bytes} bytes, got ${v.length}`);
    return Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
  }
  if (typeof v === 'string') {
    if (v === '') return '';
    if (v.length !== bytes * 2 || !HEX.test(v)) throw new RecordRejection(`${what} must be ${bytes * 2} hex chars`);
    return v.toLowerCase();
  }
  throw new RecordRejection(`${what} has the wrong type`);
}

/** A required id: present, right length, not all zero (trace.proto: such ids are invalid). */
export function requiredIdOf(v: unknown, bytes: number, what: string): string {
  const id = idOf(v, bytes, what);
  if (id === '' || /^0+$/.test(id)) throw new RecordRejection(`${what} is missing or all zero`);
  return id;
}

const isLong = (v: unknown): v is LongLike =>
  typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';

/** Epoch nanoseconds (fixed64: Long, JSON decimal string or number) → [exact decimal text, epoch ms]. */
export function nanosOf(v: unknown): [string, number] {
  if (v === undefined || v === null) return ['0', 0];
  // BigInt formatting is exact and ~5× faster than Long#toString.
  if (isLong(v)) return [((BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0)).toString(), (v.high >>> 0) * 4294.967296 + (v.low >>> 0) / 1e6];
  if (typeof v === 'string') {
    if (!/^\d{1,20}$/.test(v)) throw new RecordRejection('timestamp must be a decimal string of nanoseconds');
    return [v.replace(/^0+(?=\d)/, ''), Number(v) / 1e6];
  }
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return [BigInt(Math.trunc(v)).toString(), v / 1e6];
  throw new RecordRejection('timestamp has the wrong type');
}

/**
 * A `repeated KeyValue` list → a plain object (later keys win). Keeps the first `countLimit` entries and
 * counts the rest as dropped (SDK attribute limits); string values are cut to the length limit.
 */
export function attributesOf(list: unknown, limiter: Limiter = new Limiter(), countLimit = limiter.limits.attributeCountLimit): Attributes {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  const n = Math.min(list.length, countLimit);
  limiter.counts.droppedAttributes += list.length - n;
  for (let i = 0; i < n; i++) {
    const kv: unknown = list[i];
    if (!isObject(kv) || typeof kv.key !== 'string') continue;
    out[kv.key] = anyValueOf(kv.value, 0, limiter);
  }
  return out;
}

/** How many of a list the SDK-style `limit` keeps; the rest is added to `dropped`. */
export function keptOf(list: unknown, limit: number): { readonly kept: readonly unknown[]; readonly dropped: number } {
  if (!Array.isArray(list)) return { kept: [], dropped: 0 };
  return list.length <= limit ? { kept: list, dropped: 0 } : { kept: list.slice(0, limit), dropped: list.length - limit };
}

/**
 * An OTLP `AnyValue` → plain data. Only own properties count: protobufjs puts oneof defaults ('' , 0)
 * on the message prototype, and OTLP/JSON simply omits unset members.
 */
export function anyValueOf(v: unknown, depth: number, limiter: Limiter = new Limiter()): AttributeValue {
  if (!isObject(v)) return null;
  if (has(v, 'stringValue')) return limiter.cut(stringOf(v.stringValue));
  if (has(v, 'boolValue')) return v.boolValue === true;
  if (has(v, 'intValue')) return intValueOf(v.intValue, limiter);
  if (has(v, 'doubleValue')) return doubleOf(v.doubleValue);
  if (has(v, 'bytesValue')) return bytesOf(v.bytesValue, limiter);
  const nested = has(v, 'arrayValue') || has(v, 'kvlistValue');
  if (nested && depth >= MAX_VALUE_DEPTH) return '[nested too deep]';
  if (has(v, 'arrayValue') && isObject(v.arrayValue)) {
    const values = Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return values.slice(0, MAX_NESTED_ITEMS).map((x: unknown) => anyValueOf(x, depth + 1, limiter));
  }
  if (has(v, 'kvlistValue') && isObject(v.kvlistValue)) {
    const out: Record<string, AttributeValue> = {};
    const values = Array.isArray(v.kvlistValue.values) ? v.kvlistValue.values : [];
    for (const kv of values.slice(0, MAX_NESTED_ITEMS) as unknown[]) {
      if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValueOf(kv.value, depth + 1, limiter);
    }
    return out;
  }
  return null;
}

const has = (o: Obj, key: string): boolean => Object.hasOwn(o, key) && o[key] != null;

function intValueOf(v: unknown, limiter: Limiter): number | string {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : limiter.cut(v);
  if (isLong(v)) {
    const n = (v as unknown as { toNumber(): number }).toNumber();
    return Number.isSafeInteger(n) ? n : v.toString();
  }
  return 0;
}

function doubleOf(v: unknown): number | string {
  if (typeof v === 'number') return v;
  // OTLP/JSON spells non-finite doubles as "NaN", "Infinity", "-Infinity".
  if (typeof v === 'string') return Number.isNaN(Number(v)) ? v : Number(v);
  return 0;
}

function bytesOf(v: unknown, limiter: Limiter): string {
  if (v instanceof Uint8Array) return limiter.cut(Buffer.from(v.buffer, v.byteOffset, v.length).toString('base64'));
  return typeof v === 'string' ? limiter.cut(v) : '';
}

/** `service.name` of a resource's attributes. */
export function serviceOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : 'unknown_service';
}

/** Collects rejections: a count plus up to a few distinct reasons. */
export class Rejections {
  count = 0;
  readonly reasons: string[] = [];
  add(err: unknown): void {
    this.warn(err);
    this.count++;
  }

  /** A reason without a rejected record (OTLP "warning": rejected 0, message set). */
  warn(err: unknown): void {
    if (!(err instanceof RecordRejection)) throw err;
    if (this.reasons.length < 5 && !this.reasons.includes(err.message)) this.reasons.push(err.message);
  }
}
