/**
 * @module scenarios/k6: the runtime every generated k6 script carries, as TypeScript source text: the portable
 * modules (JSON path, templates, checks, save) inlined from their own files, the very source the embedded engine
 * imports, then the k6-only glue (URLs, traceparent, think time, the iteration scope, a k6 `Response` as a ResponseView).
 */
import { readFileSync } from 'node:fs';

/** The portable modules, in dependency order (scenarios/portable/*.ts). */
const PORTABLE_MODULES = ['json-path', 'response-view', 'template', 'checks', 'save', 'iteration-uuid'] as const;

/** A portable module as script source: its imports (of other portable modules, all inlined too) and `export` keywords go. */
function inlineModule(name: string): string {
  const source = readFileSync(new URL(`../portable/${name}.ts`, import.meta.url), 'utf8');
  const inlined = source.replace(/^import\b[^;]*;\n/gm, '').replace(/^export (?=(?:async )?(?:function|const|let|class|type|interface)\b)/gm, '');
  // The portable README's rules keep this true; a module that breaks them must fail loudly, not emit a broken script.
  if (/^\s*(?:import|export)\b/m.test(inlined)) throw new Error(`scenarios/portable/${name}.ts cannot be inlined: only relative imports of other portable modules and \`export\` on declarations are allowed`);
  return inlined;
}

/**
 * The portable modules' source, imports and `export`s removed: what the parity test evaluates and the script inlines.
 * @internal exported for tests.
 */
export const PORTABLE_SOURCE = PORTABLE_MODULES.map(inlineModule).join('\n');

/** The k6-only helpers; they call the portable functions above them. */
const K6_GLUE = String.raw`
type Scope = Record<string, unknown>;

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

/** A k6 Response as the portable checks and saves read it (k6 canonicalises header names, so they are matched case-insensitively). */
function responseView(res: Response): ResponseView {
  let parsed: ParsedBody | undefined;
  return {
    status: res.status,
    durationMs: res.timings.duration,
    header(lowerName: string): string | undefined {
      for (const h of Object.keys(res.headers)) if (h.toLowerCase() === lowerName) return res.headers[h];
      return undefined;
    },
    bodyText: () => String(res.body),
    json(): ParsedBody {
      if (parsed === undefined) {
        try {
          parsed = { ok: true, value: JSON.parse(String(res.body)) };
        } catch (e) {
          parsed = { ok: false };
        }
      }
      return parsed;
    },
  };
}

/** k6 check() sets: one named predicate per codeblue check, names and results from the portable evaluateChecks. */
function checksOf(spec: CheckSpec, view: ResponseView): Record<string, () => boolean> {
  const sets: Record<string, () => boolean> = {};
  for (const c of evaluateChecks(spec, view)) {
    const ok = c.ok;
    sets[c.name] = () => ok;
  }
  return sets;
}

function think(minMs: number, maxMs: number): void {
  sleep((minMs + Math.random() * (maxMs - minMs)) / 1000);
}

function scopeOf(vars: Scope, params: Scope, env: Scope): Scope {
  const s: Scope = { synthetic: SYNTHETIC[exec.scenario.iterationInTest % SYNTHETIC.length], params, env, vu: exec.vu.idInTest, iter: exec.vu.iterationInScenario, scenario: exec.scenario.name, uuid: iterationUuid(exec.vu.idInTest, exec.vu.iterationInScenario) };
  for (const k of Object.keys(vars)) s[k] = vars[k];
  return s;
}
`;

/** Everything a generated script holds before its options and exec functions. */
export const PRELUDE = `${PORTABLE_SOURCE}\n${K6_GLUE}`;
