/**
 * @module scenarios/k6: the runtime helpers every generated k6 script carries (as TypeScript source text):
 * the same `{{ }}` templates, JSON paths and traceparent as the embedded engine, written for k6's runtime
 * (no URLSearchParams, no Node APIs).
 */
export const PRELUDE = String.raw`
type Scope = Record<string, unknown>;
type Found = { found: true; value: unknown } | { found: false };

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]+)['"]\]|\[\?\(@\.([\w$-]+)\s*==\s*['"]([^'"]*)['"]\)\])/;

/** Same JSON path grammar as codeblue: $.a.b[0], $['a-b'], $.link[?(@.relation=='next')].url */
function readPath(doc: unknown, path: string): Found {
  if (path.charAt(0) !== '$') return { found: false };
  let rest = path.slice(1);
  let cur: unknown = doc;
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return { found: false };
    rest = rest.slice(m[0].length);
    const key = m[1] !== undefined ? m[1] : m[3];
    if (key !== undefined) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(key in (cur as object))) return { found: false };
      cur = (cur as Record<string, unknown>)[key];
    } else if (m[2] !== undefined) {
      const i = Number(m[2]);
      if (!Array.isArray(cur) || i >= cur.length) return { found: false };
      cur = cur[i];
    } else {
      if (!Array.isArray(cur)) return { found: false };
      const fk = m[4] as string;
      const fv = m[5] as string;
      const hit = (cur as unknown[]).find((el) => el !== null && typeof el === 'object' && String((el as Record<string, unknown>)[fk]) === fv);
      if (hit === undefined) return { found: false };
      cur = hit;
    }
  }
  return { found: true, value: cur };
}

function lookup(scope: Scope, expr: string): unknown {
  const r = readPath(scope, expr.charAt(0) === '[' ? '$' + expr : '$.' + expr);
  if (!r.found || r.value === undefined) throw new Error('template value "{{ ' + expr + ' }}" is not defined (a save step may have found nothing)');
  return r.value;
}

const WHOLE = /^\{\{\s*([A-Za-z_$][\w$.[\]'"-]*)\s*\}\}$/;
const PART = /\{\{\s*([A-Za-z_$][\w$.[\]'"-]*)\s*\}\}/g;

/** A string that is exactly one placeholder becomes the value itself; other strings are interpolated. */
function tpl(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    if (value.indexOf('{{') < 0) return value;
    const whole = WHOLE.exec(value);
    if (whole) return lookup(scope, whole[1] as string);
    return value.replace(PART, (_m: string, expr: string) => {
      const v = lookup(scope, expr);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => tpl(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = tpl((value as Record<string, unknown>)[k], scope);
    return out;
  }
  return value;
}

function text(value: string, scope: Scope): string {
  const v = tpl(value, scope);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A rendered path joined to BASE_URL; absolute URLs (FHIR next links) are used as they are. */
function url(path: string, query: Record<string, string>): string {
  const base = /^https?:\/\//i.test(path) ? path : BASE_URL + path;
  const parts = Object.keys(query).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(query[k] as string));
  return parts.length === 0 ? base : base + (base.indexOf('?') >= 0 ? '&' : '?') + parts.join('&');
}

function hex(n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 16).toString(16);
  return /^0+$/.test(s) ? hex(n) : s;
}

/** A sampled W3C traceparent for a new root span (codeblue joins traces on it). */
function traceparent(): string {
  return '00-' + hex(32) + '-' + hex(16) + '-01';
}

function json(res: Response): Found {
  try {
    return { found: true, value: JSON.parse(String(res.body)) };
  } catch (e) {
    return { found: false };
  }
}

function jsonIs(res: Response, path: string, expected: unknown): boolean {
  const doc = json(res);
  if (!doc.found) return false;
  const r = readPath(doc.value, path);
  return r.found && r.value === expected;
}

function jsonExists(res: Response, path: string, exists: boolean): boolean {
  const doc = json(res);
  return doc.found && readPath(doc.value, path).found === exists;
}

function save(vars: Scope, res: Response, spec: Record<string, string>): void {
  for (const key of Object.keys(spec)) {
    const source = spec[key] as string;
    let value: unknown;
    if (source.indexOf('header:') === 0) {
      const wanted = source.slice(7).toLowerCase();
      for (const h of Object.keys(res.headers)) if (h.toLowerCase() === wanted) value = res.headers[h];
    } else {
      const doc = json(res);
      const r = doc.found ? readPath(doc.value, source) : { found: false as const };
      value = r.found ? r.value : undefined;
    }
    if (value === undefined || value === null) delete vars[key];
    else vars[key] = Array.isArray(value) ? value[0] : value;
  }
}

function think(minMs: number, maxMs: number): void {
  sleep((minMs + Math.random() * (maxMs - minMs)) / 1000);
}

function uuid(): string {
  const vu = exec.vu.idInTest.toString(16);
  const it = exec.vu.iterationInScenario.toString(16);
  return 'cb5e0000-0000-4000-8000-' + ('0000' + vu).slice(-4) + ('00000000' + it).slice(-8);
}

function scopeOf(vars: Scope, params: Scope, env: Scope): Scope {
  const s: Scope = { synthetic: SYNTHETIC[exec.scenario.iterationInTest % SYNTHETIC.length], params, env, vu: exec.vu.idInTest, iter: exec.vu.iterationInScenario, scenario: exec.scenario.name, uuid: uuid() };
  for (const k of Object.keys(vars)) s[k] = vars[k];
  return s;
}
`;
