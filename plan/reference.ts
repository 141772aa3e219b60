/**
 * @module plan: the plan reference — the JSON Schema of the plan (zod's public `z.toJSONSchema`) and every key in it
 * as a dotted path, so `docs/plan.md` and `plan/plan.schema.json` are generated from the schema and can't drift.
 */
import { z } from 'zod';
import { planSchema } from './schema.js';

/** A JSON Schema node, as `z.toJSONSchema` writes them (draft 2020-12). */
export interface JsonSchema {
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly pattern?: string;
}

/** One key of the plan: `scenarios.*.steps[].request.path` (`*` = a name you choose, `[]` = each list entry). */
export interface ReferenceRow {
  readonly path: string;
  /** Compact type: `string`, `integer ≥ 1`, `"tcp" | "http"`, `string | number`, `object`, `map of string`, `object[]`. */
  readonly type: string;
  readonly required: boolean;
  /** The schema's default, as YAML-ish JSON, when there is one. */
  readonly default?: string;
  /** Only in some variants of a union: e.g. `executor: constant-vus, ramping-vus`. */
  readonly only?: string;
  /** Set when the key repeats the shape of an earlier path (recursive step groups). */
  readonly sameAs?: string;
}

/** The JSON Schema of the plan, as an editor (yaml-language-server) reads it: the input shape, with defaults. */
export function planJsonSchema(): JsonSchema & { readonly $schema?: string } {
  const schema = z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { ...schema, $id: 'https://codeblue.dev/plan.schema.json', title: 'codeblue plan (codeblue.yaml)' } as JsonSchema;
}

const MAX_INT = Number.MAX_SAFE_INTEGER;
const MIN_INT = Number.MIN_SAFE_INTEGER;

/** A short, human type for one node (`$ref`s resolved through `defs`). */
function typeOf(node: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): string {
  const n = resolve(node, defs);
  if (n.const !== undefined) return JSON.stringify(n.const);
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (n.anyOf) return [...new Set(n.anyOf.map((o) => typeOf(o, defs)))].join(' | ');
  switch (n.type) {
    case 'array':
      return n.items ? `${wrap(typeOf(n.items, defs))}[]` : 'list';
    case 'object':
      if (n.properties) return 'object';
      return typeof n.additionalProperties === 'object' ? `map of ${typeOf(n.additionalProperties, defs)}` : 'object';
    case 'integer':
    case 'number':
      return `${n.type}${bounds(n)}`;
    case undefined:
      return 'any';
    default:
      return n.type;
  }
}

const wrap = (t: string): string => (t.includes(' ') ? `(${t})` : t);

function bounds(n: JsonSchema): string {
  const lo = n.minimum !== undefined && n.minimum !== MIN_INT ? n.minimum : undefined;
  const hi = n.maximum !== undefined && n.maximum !== MAX_INT ? n.maximum : undefined;
  if (lo !== undefined && hi !== undefined) return ` ${lo}–${hi}`;
  if (lo !== undefined) return ` ≥ ${lo}`;
  return hi !== undefined ? ` ≤ ${hi}` : '';
}

function resolve(node: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): JsonSchema {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = defs[name];
  if (!target) throw new Error(`plan reference: unresolved $ref ${node.$ref}`);
  return target;
}

/** The object variants a node stands for (unions flattened), with their discriminator text (`executor: …`). */
function objectVariants(node: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): JsonSchema[] {
  const n = resolve(node, defs);
  if (n.anyOf) return n.anyOf.flatMap((o) => objectVariants(o, defs));
  return n.type === 'object' && n.properties ? [n] : [];
}

/** Container of list entries / map values below a node, if any. */
function childContainers(node: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): { suffix: string; node: JsonSchema }[] {
  const n = resolve(node, defs);
  if (n.anyOf) return n.anyOf.flatMap((o) => childContainers(o, defs));
  if (n.type === 'array' && n.items) return [{ suffix: '[]', node: n.items }];
  if (n.type === 'object' && !n.properties && typeof n.additionalProperties === 'object') return [{ suffix: '.*', node: n.additionalProperties }];
  return [];
}

/** The discriminator of a union of objects: a key every variant pins to a `const`. */
function discriminatorOf(variants: readonly JsonSchema[]): string | undefined {
  if (variants.length < 2) return undefined;
  const first = variants[0]?.properties ?? {};
  return Object.keys(first).find((k) => variants.every((v) => v.properties?.[k]?.const !== undefined));
}

/**
 * Every key of the plan as a row, in schema order. Union variants are merged under one path; keys that only
 * some variants have say which (`only`); a `$ref` met again inside itself is listed once with `sameAs`.
 */
export function referenceRows(schema: JsonSchema = planJsonSchema()): ReferenceRow[] {
  const defs = schema.$defs ?? {};
  const rows = new Map<string, ReferenceRow>();
  const seenRefs = new Map<string, string>();

  const visit = (path: string, node: JsonSchema, required: boolean, only: string | undefined, listed = true): void => {
    if (node.$ref) {
      const earlier = seenRefs.get(node.$ref);
      if (earlier === path) return; // the same node again, from another variant of the parent: already listed
      if (earlier !== undefined) {
        add({ path, type: typeOf(node, defs), required, sameAs: earlier, ...(only ? { only } : {}) });
        return;
      }
      seenRefs.set(node.$ref, path);
    }
    if (path !== '' && listed) add({ path, type: typeOf(node, defs), required, ...defaultOf(node, defs), ...(only ? { only } : {}) });
    const variants = objectVariants(node, defs);
    const disc = discriminatorOf(variants);
    const keys = [...new Set(variants.flatMap((v) => Object.keys(v.properties ?? {})))];
    for (const key of keys) {
      const having = variants.filter((v) => v.properties?.[key] !== undefined);
      const childOnly = having.length < variants.length ? variantText(disc, having) : undefined;
      const isRequired = having.every((v) => v.required?.includes(key) ?? false);
      for (const v of having) visit(path === '' ? key : `${path}.${key}`, v.properties?.[key] as JsonSchema, isRequired, childOnly);
    }
    for (const c of childContainers(node, defs)) visit(`${path}${c.suffix}`, c.node, false, undefined, worthARow(c.node, c.suffix, defs));
  };

  const add = (row: ReferenceRow): void => {
    const prev = rows.get(row.path);
    if (!prev) {
      rows.set(row.path, row);
      return;
    }
    // The same key in several variants: union the types and the variant lists; required only if required everywhere.
    const types = [...new Set([...prev.type.split(' | '), ...row.type.split(' | ')])].join(' | ');
    rows.set(row.path, { ...prev, type: types, required: prev.required && row.required, ...mergeDefault(prev, row) });
  };

  visit('', schema, true, undefined);
  return [...rows.values()];
}

/** Which variants have a key: `executor: a, b` with a discriminator, else the variants' key lists. */
function variantText(disc: string | undefined, having: readonly JsonSchema[]): string {
  if (disc !== undefined) return `${disc}: ${having.map((v) => String(v.properties?.[disc]?.const)).join(', ')}`;
  return having.map((v) => `{ ${Object.keys(v.properties ?? {}).join(', ')} }`).join(' or ');
}

/**
 * A list entry or map value gets its own row when it says more than its parent's type does: map values that are
 * lists or objects (`scenarios.*`, `thresholds.*`), and entries that mix objects and scalars (`thresholds.*[]`).
 */
function worthARow(node: JsonSchema, suffix: string, defs: Readonly<Record<string, JsonSchema>>): boolean {
  const n = resolve(node, defs);
  const options = n.anyOf ?? [n];
  const objects = objectVariants(n, defs).length;
  const containers = options.filter((o) => { const r = resolve(o, defs); return r.type === 'array' || (r.type === 'object' && !r.properties); }).length;
  if (suffix === '.*') return objects + containers > 0;
  return objects > 0 && objects < options.length;
}

function defaultOf(node: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): { default?: string } {
  const n = resolve(node, defs);
  return n.default === undefined ? {} : { default: JSON.stringify(n.default) };
}

function mergeDefault(a: ReferenceRow, b: ReferenceRow): { default?: string } {
  if (a.default === b.default) return a.default === undefined ? {} : { default: a.default };
  const values = [a.default, b.default].filter((d): d is string => d !== undefined);
  return { default: `${values.join(' or ')} (by variant)` };
}
