/** @module chaos/api: decodes a toxic's `attributes` into its typed fields (Go rules; unknown keys ignored). */
import type { ToxicDefinition } from '../toxics/toxic.js';
import type { GoValue } from './go-json.js';
import { decodeStruct } from './go-struct.js';

/** Go struct name of a toxic type in error texts: `slow_close` → `SlowCloseToxic`. */
function structName(type: string): string {
  return `${type.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Toxic`;
}

/** Defaults of every field (Toxiproxy: all zero; codeblue's HTTP toxics have their own). */
export function defaultAttributes(definition: ToxicDefinition): Record<string, unknown> {
  return Object.fromEntries(definition.fields.map((f) => [f.key, f.default]));
}

/** Decodes `value` over `base` (defaults on create, the current attributes on update: partial updates merge). */
export function decodeAttributes(definition: ToxicDefinition, value: GoValue | undefined, base: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const target = { ...base };
  if (value === undefined) return target;
  const name = structName(definition.type);
  decodeStruct(value, target, definition.fields, { struct: name, value: `toxics.${name}`, path: 'attributes.' });
  return target;
}
