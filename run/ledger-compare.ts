/**
 * @module run: what "changed" means for the ledger — the read-back, flattened the same way as the acknowledged
 * resource (core `resourceFields`, server-managed `meta` and `text` left out), compared field by field.
 */
import { resourceFields } from '../core/index.js';

/** One field that differs: JSON values, shortened; null = absent on that side. */
export interface FieldChange {
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** Changes listed in a problem's detail (all are counted). */
const SHOWN = 5;
const MAX_CHARS = 40;

/** Every field whose value differs between the acknowledged fields and the resource read back, by path (`only`: top-level elements compared). */
export function changedFields(acknowledged: Readonly<Record<string, string>>, readBack: unknown, only?: readonly string[]): FieldChange[] {
  const now = readBack !== null && typeof readBack === 'object' && !Array.isArray(readBack) ? resourceFields(readBack as Record<string, unknown>, only) : {};
  const paths = [...new Set([...Object.keys(acknowledged), ...Object.keys(now)])].sort();
  return paths
    .filter((p) => acknowledged[p] !== now[p])
    .map((p) => ({ path: p, before: acknowledged[p] ?? null, after: now[p] ?? null }));
}

/** `name[0].family: "Roe" → "Doe"; birthDate: "1980-02-03" → (absent)`, at most five fields, values shortened. */
export function describeChanges(changes: readonly FieldChange[]): string {
  const shown = changes.slice(0, SHOWN).map((c) => `${c.path}: ${short(c.before)} → ${short(c.after)}`);
  return shown.join('; ') + (changes.length > SHOWN ? `; +${changes.length - SHOWN} more field(s)` : '');
}

const short = (v: string | null): string => (v === null ? '(absent)' : v.length > MAX_CHARS ? `${v.slice(0, MAX_CHARS - 1)}…` : v);
