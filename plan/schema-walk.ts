/** @module plan: reads zod schemas to learn which keys and values were allowed where (for hints). */
import type { z } from 'zod';

type PathKey = string | number;
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly getter?: () => z.ZodType;
  readonly values?: readonly unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional/default/prefault/pipe/lazy wrappers down to the structural schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let s = schema; ; ) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return s;
  }
}

/** The object schemas a value at this point may match (unions expanded, discriminated by `data`). */
function objectsOf(schema: z.ZodType, data: unknown): z.ZodType[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'object') return [s];
  if (def.type === 'union' && def.options) {
    const disc = def.discriminator;
    const value = disc && data && typeof data === 'object' ? (data as Record<string, unknown>)[disc] : undefined;
    const all = def.options.flatMap((o) => objectsOf(o, data));
    if (disc && value !== undefined) {
      const match = all.filter((o) => literalValues(defOf(o).shape?.[disc]).includes(value));
      if (match.length > 0) return match;
    }
    return all;
  }
  return [];
}

function literalValues(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  return def.type === 'literal' || def.type === 'enum' ? [...(def.values ?? Object.values((def as { entries?: object }).entries ?? {}))] : [];
}

/** The schema at `path` inside `root`, following the data for discriminated unions. */
export function schemaAt(root: z.ZodType, path: readonly PathKey[], data: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value = data;
  for (const key of path) {
    if (!schema) return undefined;
    const s = unwrap(schema);
    const def = defOf(s);
    if (def.type === 'array' && def.element) schema = def.element;
    else if (def.type === 'record' && def.valueType) schema = def.valueType;
    else schema = objectsOf(s, value).map((o) => defOf(o).shape?.[String(key)]).find((x) => x !== undefined);
    value = value && typeof value === 'object' ? (value as Record<PathKey, unknown>)[key] : undefined;
  }
  return schema;
}

/** Keys an object at `path` may have. */
export function knownKeysAt(root: z.ZodType, path: readonly PathKey[], data: unknown): string[] {
  const schema = schemaAt(root, path, data);
  if (!schema) return [];
  const value = path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined), data);
  return [...new Set(objectsOf(schema, value).flatMap((o) => Object.keys(defOf(o).shape ?? {})))];
}

/** Allowed values of a discriminator inside the union at `path`. */
export function discriminatorValuesAt(root: z.ZodType, path: readonly PathKey[], data: unknown, discriminator: string): string[] {
  const schema = schemaAt(root, path, data);
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  const options = def.type === 'union' && def.options ? def.options.flatMap((o) => objectsOf(o, undefined)) : [];
  return options.flatMap((o) => literalValues(defOf(o).shape?.[discriminator])).map(String);
}
