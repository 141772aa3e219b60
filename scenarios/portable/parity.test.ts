import { runInContext, createContext } from 'node:vm';
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PORTABLE_SOURCE, PRELUDE } from '../k6/prelude.js';
import { evaluateChecks, type CheckSpec, type JsonExpectation } from './checks.js';
import { readJsonPath } from './json-path.js';
import type { ParsedBody, ResponseView } from './response-view.js';
import { applySave } from './save.js';
import { iterationUuid } from './iteration-uuid.js';
import { hasTemplate, render, renderText } from './template.js';

/** The portable functions as the engine imports them and as a k6 script gets them (inlined source, fresh realm). */
interface Portable {
  readonly readJsonPath: typeof readJsonPath;
  readonly render: typeof render;
  readonly renderText: typeof renderText;
  readonly hasTemplate: typeof hasTemplate;
  readonly evaluateChecks: typeof evaluateChecks;
  readonly applySave: typeof applySave;
  readonly iterationUuid: typeof iterationUuid;
}

const engine: Portable = { readJsonPath, render, renderText, hasTemplate, evaluateChecks, applySave, iterationUuid };

/** The inlined source, types stripped, run in a fresh vm context: no Node globals, no module system, like k6's runtime. */
function inlined(): Portable {
  const js = ts.transpileModule(PORTABLE_SOURCE, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None } }).outputText;
  const exports = '({ readJsonPath, render, renderText, hasTemplate, evaluateChecks, applySave, iterationUuid })';
  return runInContext(`${js}\n${exports}`, createContext({}), { filename: 'portable-inlined.js' }) as Portable;
}
const script = inlined();

/** A result or what was thrown (an Error from the other realm is not `instanceof Error` here, so read its fields). */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown };
    return { threw: String(e.name), message: String(e.message) };
  }
}

const key = fc.constantFrom('a', 'b', 'id', 'odd-key', 'relation', 'x_1', '$k', 'with space', 'a.b');
const word = fc.constantFrom('next', 'self', '1', 'true', 'null', '', 'x');
const leaf = fc.oneof(fc.string({ maxLength: 4 }), word, fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant(null));
const { doc } = fc.letrec<{ doc: unknown; arr: unknown[]; obj: Record<string, unknown> }>((tie) => ({
  doc: fc.oneof({ depthSize: 'small' }, leaf, tie('arr'), tie('obj')),
  arr: fc.array(tie('doc'), { maxLength: 4 }),
  obj: fc.dictionary(key, tie('doc'), { maxKeys: 4, noNullPrototype: true }), // as JSON.parse builds them
}));
const segment = fc.oneof(
  key.map((k) => (/^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `['${k}']`)),
  key.map((k) => `["${k}"]`),
  fc.nat(4).map((i) => `[${i}]`),
  fc.tuple(key.filter((k) => /^[\w$-]+$/.test(k)), word).map(([k, v]) => `[?(@.${k}=='${v}')]`),
  fc.string({ maxLength: 3 }),
);
const path = fc.tuple(fc.constantFrom('$', '$', '$', '', 'x'), fc.array(segment, { maxLength: 4 })).map(([root, segs]) => root + segs.join(''));

/** Segments that follow the document's own structure (keys it has, indexes in range, filters some element matches). */
function walk(d: unknown, depth: number): fc.Arbitrary<string> {
  const stop = fc.constant('');
  if (depth === 0 || d === null || typeof d !== 'object') return stop;
  const steps: fc.Arbitrary<string>[] = [];
  if (Array.isArray(d)) {
    d.forEach((el, i) => steps.push(walk(el, depth - 1).map((rest) => `[${i}]${rest}`)));
    for (const el of d) {
      if (el === null || typeof el !== 'object' || Array.isArray(el)) continue;
      for (const [k, v] of Object.entries(el)) {
        if (v !== null && typeof v === 'object') continue; // filters compare leaves as text
        const text = String(v);
        if (!/^[\w$-]+$/.test(k) || /['"]/.test(text)) continue;
        const first = d.find((c) => c !== null && typeof c === 'object' && String((c as Record<string, unknown>)[k]) === text);
        steps.push(walk(first, depth - 1).map((rest) => `[?(@.${k}=='${text}')]${rest}`));
      }
    }
  } else {
    for (const [k, v] of Object.entries(d)) steps.push(walk(v, depth - 1).map((rest) => `${/^[A-Za-z_$][\w$-]*$/.test(k) ? `.${k}` : `['${k}']`}${rest}`));
  }
  return steps.length === 0 ? stop : fc.oneof(stop, ...steps);
}
/** A document with a path that mostly exists in it. */
const docWithPath = doc.chain((d) => fc.tuple(fc.constant(d), walk(d, 4).map((p) => `$${p}`)));

describe('portable modules: the engine import and the inlined k6 source agree', () => {
  it('inlines every portable module into the k6 prelude, imports and exports removed', () => {
    expect(PRELUDE.startsWith(PORTABLE_SOURCE)).toBe(true);
    expect(PORTABLE_SOURCE).not.toMatch(/^\s*(?:import|export)\b/m);
    for (const fn of Object.keys(engine)) expect(PORTABLE_SOURCE).toContain(`function ${fn}(`);
  });

  it('reads the same values from random JSON documents and paths', () => {
    fc.assert(fc.property(doc, path, (d, p) => {
      expect(outcome(() => script.readJsonPath(d, p))).toEqual(outcome(() => engine.readJsonPath(d, p)));
    }), { numRuns: 300 });
    fc.assert(fc.property(docWithPath, ([d, p]) => {
      expect(outcome(() => script.readJsonPath(d, p))).toEqual(outcome(() => engine.readJsonPath(d, p)));
    }), { numRuns: 300 });
  });

  it('renders random templates against random scopes the same way, errors included', () => {
    const name = fc.constantFrom('a', 'b', 'id', 'x_1', 'missing');
    const expression = fc.tuple(name, fc.array(segment, { maxLength: 2 })).map(([n, segs]) => n + segs.join(''));
    const placeholder = fc.tuple(expression, fc.constantFrom('', ' ', '  ')).map(([e, sp]) => `{{${sp}${e}${sp}}}`);
    const text = fc.array(fc.oneof(placeholder, fc.string({ maxLength: 3 }), fc.constantFrom('/', '{{', '}}', '{', 'Patient/')), { maxLength: 4 }).map((parts) => parts.join(''));
    const template = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.dictionary(key, text, { maxKeys: 3, noNullPrototype: true }), leaf);
    const scope = fc.dictionary(fc.constantFrom('a', 'b', 'id', 'x_1'), doc, { maxKeys: 4, noNullPrototype: true });
    fc.assert(fc.property(fc.nat(), fc.nat(), (vu, iter) => {
      expect(script.iterationUuid(vu, iter)).toBe(engine.iterationUuid(vu, iter));
      expect(engine.iterationUuid(vu, iter)).toMatch(/^cb5e0000-0000-4000-8000-[0-9a-f]{12}$/);
    }));
    fc.assert(fc.property(template, text, scope, (t, s, sc) => {
      expect(outcome(() => script.render(t, sc))).toEqual(outcome(() => engine.render(t, sc)));
      expect(outcome(() => script.renderText(s, sc))).toEqual(outcome(() => engine.renderText(s, sc)));
      expect(script.hasTemplate(t)).toBe(engine.hasTemplate(t));
    }), { numRuns: 300 });
  });

  it('names and evaluates random checks on random responses the same way, and saves the same values', () => {
    const status = fc.constantFrom(200, 201, 204, 404, 500);
    const expectation: fc.Arbitrary<JsonExpectation> = fc.oneof(fc.string({ maxLength: 3 }), word, fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant(null), fc.boolean().map((exists) => ({ exists })));
    const spec: fc.Arbitrary<CheckSpec> = fc.record({
      status: fc.oneof(status, fc.array(status, { minLength: 1, maxLength: 3 })),
      json: fc.dictionary(path, expectation, { maxKeys: 3, noNullPrototype: true }),
      contains: fc.string({ maxLength: 3 }),
      headers: fc.dictionary(fc.constantFrom('Content-Type', 'x-id', 'ETag'), fc.constantFrom('application/json', '1', '"v1"', '1, 2'), { noNullPrototype: true }),
      maxDuration: fc.integer({ min: 0, max: 100 }),
    }, { requiredKeys: [] });
    const response = fc.record({
      status,
      durationMs: fc.double({ min: 0, max: 150, noNaN: true }),
      headers: fc.dictionary(fc.constantFrom('content-type', 'x-id', 'etag'), fc.oneof(fc.constantFrom('application/json', '1', '"v1"'), fc.array(fc.constantFrom('1', '2'), { minLength: 1, maxLength: 2 })), { maxKeys: 3, noNullPrototype: true }),
      body: fc.oneof(doc.map((d) => JSON.stringify(d) ?? ''), fc.string({ maxLength: 6 })),
    });
    // A JSON body with a path into it, expecting the value found there, its text, or something else: checks that pass and fail.
    const probed = fc.tuple(docWithPath, fc.constantFrom('same', 'text', 'other'), expectation).map(([[d, p], how, other]) => {
      const found = readJsonPath(d, p);
      const leafValue = found.found && (found.value === null || typeof found.value !== 'object') ? (found.value as string | number | boolean | null) : undefined;
      const expected: JsonExpectation = leafValue === undefined || how === 'other' ? other : how === 'same' ? leafValue : String(leafValue);
      return { body: JSON.stringify(d) ?? '', path: p, expected };
    });
    const save = fc.dictionary(fc.constantFrom('id', 'next', 'etag'), fc.oneof(path, fc.constantFrom('header:x-id', 'header:ETag', 'header:missing')), { maxKeys: 3, noNullPrototype: true });
    const vars = fc.dictionary(fc.constantFrom('id', 'next', 'kept'), leaf, { maxKeys: 3, noNullPrototype: true });
    fc.assert(fc.property(spec, response, save, vars, fc.option(probed), (sp0, res0, sv0, before, probe) => {
      const sp: CheckSpec = probe === null ? sp0 : { ...sp0, json: { ...sp0.json, [probe.path]: probe.expected } };
      const res = probe === null ? res0 : { ...res0, body: probe.body };
      const sv = probe === null ? sv0 : { ...sv0, probed: probe.path };
      expect(script.evaluateChecks(sp, undefined)).toEqual(engine.evaluateChecks(sp, undefined));
      expect(outcome(() => script.evaluateChecks(sp, view(res)))).toEqual(outcome(() => engine.evaluateChecks(sp, view(res))));
      const viaScript = { ...before };
      const viaEngine = { ...before };
      script.applySave(viaScript, sv, view(res));
      engine.applySave(viaEngine, sv, view(res));
      expect(viaScript).toEqual(viaEngine);
    }), { numRuns: 300 });
  });
});

/** A fresh view per side, so neither side's lazy JSON parse is shared with the other. */
function view(res: { status: number; durationMs: number; headers: Record<string, string | string[]>; body: string }): ResponseView {
  let parsed: ParsedBody | undefined;
  return {
    status: res.status,
    durationMs: res.durationMs,
    header: (lowerName) => res.headers[lowerName],
    bodyText: () => res.body,
    json: () => {
      if (parsed === undefined) {
        try {
          parsed = { ok: true, value: JSON.parse(res.body) as unknown };
        } catch {
          parsed = { ok: false };
        }
      }
      return parsed;
    },
  };
}
