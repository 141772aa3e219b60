/**
 * @module scenarios/portable: k6-style checks on a response; each check is named and passes or fails on its own.
 * Portable: the engine imports it and every generated k6 script carries it as source (see README.md here).
 */
import { readJsonPath } from './json-path.js';
import type { ResponseView } from './response-view.js';

/** What a JSON path check expects: that exact value, or only that the path exists (or not). */
export type JsonExpectation = string | number | boolean | null | { readonly exists: boolean };

/** A step's `check` (the plan's checkSchema output fits it): status, JSON paths, body text, headers, duration (ms). */
export interface CheckSpec {
  readonly status?: number | readonly number[];
  readonly json?: Readonly<Record<string, JsonExpectation>>;
  readonly contains?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxDuration?: number;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
}

/** Evaluates every check of a spec, in order (k6 prints them in this order too); with no response only the names count (all `ok: false`). */
export function evaluateChecks(spec: CheckSpec, input: ResponseView | undefined): CheckResult[] {
  const out: CheckResult[] = [];
  if (spec.status !== undefined) {
    const allowed: readonly number[] = typeof spec.status === 'number' ? [spec.status] : spec.status;
    const name = allowed.length === 1 ? `status is ${allowed[0]}` : `status in [${allowed.join(', ')}]`;
    out.push({ name, ok: input !== undefined && allowed.includes(input.status) });
  }
  for (const [path, expected] of Object.entries(spec.json ?? {})) {
    out.push(jsonCheck(path, expected, input));
  }
  if (spec.contains !== undefined) {
    out.push({ name: `body contains ${JSON.stringify(spec.contains)}`, ok: input !== undefined && input.bodyText().includes(spec.contains) });
  }
  for (const [header, expected] of Object.entries(spec.headers ?? {})) {
    const actual = input === undefined ? undefined : input.header(header.toLowerCase());
    const text = actual === undefined || typeof actual === 'string' ? actual : actual.join(', ');
    out.push({ name: `header ${header} is ${JSON.stringify(expected)}`, ok: text !== undefined && text === expected });
  }
  if (spec.maxDuration !== undefined) {
    out.push({ name: `duration < ${spec.maxDuration}ms`, ok: input !== undefined && input.durationMs < spec.maxDuration });
  }
  return out;
}

/** `$.a is 1` (strict equality with the value found) or `$.a exists` / `$.a is absent`; a body that is not JSON fails. */
function jsonCheck(path: string, expected: JsonExpectation, input: ResponseView | undefined): CheckResult {
  const wantsExistence = expected !== null && typeof expected === 'object';
  const name = wantsExistence ? `${path} ${expected.exists ? 'exists' : 'is absent'}` : `${path} is ${JSON.stringify(expected)}`;
  if (input === undefined) return { name, ok: false };
  const doc = input.json();
  if (!doc.ok) return { name, ok: false };
  const found = readJsonPath(doc.value, path);
  return { name, ok: wantsExistence ? found.found === expected.exists : found.found && found.value === expected };
}
