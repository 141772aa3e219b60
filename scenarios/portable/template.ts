/**
 * @module scenarios/portable: `{{ name }}` templates filled from saved values, params, env and synthetic data.
 * Portable: the engine imports it and every generated k6 script carries it as source (see README.md here).
 */
import { readJsonPath } from './json-path.js';

/** Values a template can read: `{{ patientId }}`, `{{ params.family }}`, `{{ synthetic.patient }}`, `{{ vu }}`. */
export type TemplateScope = Readonly<Record<string, unknown>>;

/** Thrown when a template names a value that does not exist (the iteration stops, as a k6 script exception would). */
export class TemplateError extends Error {
  constructor(readonly expression: string) {
    super(`template value "{{ ${expression} }}" is not defined (a save step may have found nothing)`);
    this.name = 'TemplateError';
  }
}

/**
 * The names every iteration's scope holds besides saved values (see `baseScope` in iteration.ts and
 * `scopeOf` in the k6 prelude): `synthetic.<field>`, `params.<name>`, `env.<name>`, `vu`, `iter`, `scenario`, `uuid`.
 */
export const TEMPLATE_BUILTINS = ['synthetic', 'params', 'env', 'vu', 'iter', 'scenario', 'uuid'] as const;

const WHOLE = /^\{\{\s*([A-Za-z_$][\w$.[\]'"-]*)\s*\}\}$/;
const PART = /\{\{\s*([A-Za-z_$][\w$.[\]'"-]*)\s*\}\}/g;

/** Looks a dotted name up in the scope (`synthetic.patient.name[0].family`). */
function lookup(scope: TemplateScope, expression: string): unknown {
  const r = readJsonPath(scope, expression.startsWith('[') ? `$${expression}` : `$.${expression}`);
  if (!r.found || r.value === undefined) throw new TemplateError(expression);
  return r.value;
}

/** The expressions of every `{{ … }}` placeholder in a string, in order (`'a/{{ x.y }}'` → `['x.y']`). */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(PART)].map((m) => m[1] as string);
}

/** True when a value holds any `{{ … }}` placeholder (so static parts can skip rendering). */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasTemplate);
  return false;
}

/**
 * Renders a template value. A string that is exactly one placeholder becomes the value itself
 * (so `json: "{{ synthetic.patient }}"` sends an object); other strings are interpolated.
 */
export function render(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const whole = WHOLE.exec(value);
    if (whole) return lookup(scope, whole[1] as string);
    return value.replace(PART, (_m, expr: string) => {
      const v = lookup(scope, expr);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => render(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = render(v, scope);
    return out;
  }
  return value;
}

/** Renders to a string (paths, header values, query values). */
export function renderText(value: string, scope: TemplateScope): string {
  const v = render(value, scope);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
