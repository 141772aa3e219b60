/**
 * @module plan: reads zod schemas to learn which keys and values were allowed where (for hints).
 * Public zod API only (`instanceof`, `.shape`, `.element`, `.valueType`, `.options`, `.unwrap()`, `.in`), so a
 * zod upgrade that moves its internals does not break the hints.
 */
import { z } from 'zod';

type PathKey = string | number;

/** Wrappers whose `.unwrap()` gives the schema they wrap. */
const WRAPPERS = [
  z.ZodOptional, z.ZodNullable, z.ZodDefault, z.ZodPrefault, z.ZodNonOptional, z.ZodCatch, z.ZodReadonly, z.ZodSuccess, z.ZodLazy,
] as const;
type Wrapper = InstanceType<(typeof WRAPPERS)[number]>;
const isWrapper = (s: z.ZodType): s is Wrapper & z.ZodType => WRAPPERS.some((W) => s instanceof W);

/** Unwraps optional/default/prefault/pipe/lazy wrappers down to the structural schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let s = schema; ; ) {
    if (isWrapper(s)) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

const shapeOf = (schema: z.ZodType): Record<string, z.ZodType> =>
  schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};

/**
 * The discriminator key of a discriminated union: the key every option holds as a literal/enum, with values no two
 * options share.
 */
function discriminatorOf(union: z.ZodDiscriminatedUnion): string | undefined {
  const objects = union.options.flatMap((o) => objectsOf(o as z.ZodType, undefined));
  const first = objects[0];
  if (!first) return undefined;
  return Object.keys(shapeOf(first)).find((key) => {
    const seen = new Set<unknown>();
    for (const o of objects) {
      const field = shapeOf(o)[key];
      const values = literalValues(field);
      if (!field || values.length === 0 || values.some((v) => seen.has(v))) return false;
      for (const v of values) seen.add(v);
    }
    return true;
  });
}

/** The object schemas a value at this point may match (unions expanded, discriminated by `data`). */
function objectsOf(schema: z.ZodType, data: unknown): z.ZodType[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return [s];
  if (s instanceof z.ZodUnion) {
    const disc = s instanceof z.ZodDiscriminatedUnion ? discriminatorOf(s) : undefined;
    const value = disc && data && typeof data === 'object' ? (data as Record<string, unknown>)[disc] : undefined;
    const all = (s.options as readonly z.ZodType[]).flatMap((o) => objectsOf(o, data));
    if (disc && value !== undefined) {
      const match = all.filter((o) => literalValues(shapeOf(o)[disc]).includes(value));
      if (match.length > 0) return match;
    }
    return disc ? all : bestFitting(all, data);
  }
  return [];
}

/** Of a plain union's objects, those that know the most of the data's keys (all of them when data is no map). */
function bestFitting(objects: z.ZodType[], data: unknown): z.ZodType[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || objects.length < 2) return objects;
  const keys = Object.keys(data);
  const known = objects.map((o) => keys.filter((k) => shapeOf(o)[k] !== undefined).length);
  const most = Math.max(...known);
  return objects.filter((_, i) => known[i] === most);
}

function literalValues(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const s = unwrap(schema);
  if (s instanceof z.ZodLiteral) return [...(s.values as Set<unknown>)];
  if (s instanceof z.ZodEnum) return [...(s.options as unknown[])];
  return [];
}

/** The schema at `path` inside `root`, following the data for discriminated unions. */
export function schemaAt(root: z.ZodType, path: readonly PathKey[], data: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value = data;
  for (const key of path) {
    if (!schema) return undefined;
    const s = unwrap(schema);
    if (s instanceof z.ZodArray) schema = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) schema = s.valueType as z.ZodType;
    else schema = objectsOf(s, value).map((o) => shapeOf(o)[String(key)]).find((x) => x !== undefined);
    value = value && typeof value === 'object' ? (value as Record<PathKey, unknown>)[key] : undefined;
  }
  return schema;
}

/** Keys an object at `path` may have. */
export function knownKeysAt(root: z.ZodType, path: readonly PathKey[], data: unknown): string[] {
  const schema = schemaAt(root, path, data);
  if (!schema) return [];
  const value = path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined), data);
  return [...new Set(objectsOf(schema, value).flatMap((o) => Object.keys(shapeOf(o))))];
}

/** Allowed values of a discriminator inside the union at `path`. */
export function discriminatorValuesAt(root: z.ZodType, path: readonly PathKey[], data: unknown, discriminator: string): string[] {
  const schema = schemaAt(root, path, data);
  if (!schema) return [];
  const s = unwrap(schema);
  const options = s instanceof z.ZodUnion ? (s.options as readonly z.ZodType[]).flatMap((o) => objectsOf(o, undefined)) : [];
  return options.flatMap((o) => literalValues(shapeOf(o)[discriminator])).map(String);
}
