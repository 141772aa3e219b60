/** @module scenarios/engine: k6-style checks on a response; each check is named and passes or fails on its own. */
import type { z } from 'zod';
import type { DeepReadonly } from '../../core/deep-readonly.js';
import type { checkSchema } from '../schema.js';
import { readJsonPath } from './json-path.js';

export type CheckSpec = DeepReadonly<z.output<typeof checkSchema>>;

/** What a check looks at. `json` is parsed lazily; a body that is not JSON makes JSON checks fail. */
export interface CheckInput {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly bodyText: () => string;
  readonly json: () => { ok: true; value: unknown } | { ok: false };
  readonly durationMs: number;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
}

/** The check names of a spec, in evaluation order (k6 prints them in this order too). */
export function checkNames(spec: CheckSpec): string[] {
  return evaluateChecks(spec, undefined).map((c) => c.name);
}

/** Evaluates every check of a spec; with no input only the names are produced (all `ok: false`). */
export function evaluateChecks(spec: CheckSpec, input: CheckInput | undefined): CheckResult[] {
  const out: CheckResult[] = [];
  if (spec.status !== undefined) {
    const allowed = Array.isArray(spec.status) ? spec.status : [spec.status];
    const name = allowed.length === 1 ? `status is ${allowed[0]}` : `status in [${allowed.join(', ')}]`;
    out.push({ name, ok: input !== undefined && allowed.includes(input.status) });
  }
  for (const [path, expected] of Object.entries(spec.json ?? {})) {
    const wantsExistence = expected !== null && typeof expected === 'object';
    const name = wantsExistence ? `${path} ${expected.exists ? 'exists' : 'is absent'}` : `${path} is ${JSON.stringify(expected)}`;
    let ok = false;
    if (input !== undefined) {
      const doc = input.json();
      if (doc.ok) {
        const found = readJsonPath(doc.value, path);
        ok = wantsExistence ? found.found === expected.exists : found.found && found.value === expected;
      }
    }
    out.push({ name, ok });
  }
  if (spec.contains !== undefined) {
    out.push({ name: `body contains ${JSON.stringify(spec.contains)}`, ok: input !== undefined && input.bodyText().includes(spec.contains) });
  }
  for (const [header, expected] of Object.entries(spec.headers ?? {})) {
    const actual = input?.headers[header.toLowerCase()];
    const text = Array.isArray(actual) ? actual.join(', ') : actual;
    out.push({ name: `header ${header} is ${JSON.stringify(expected)}`, ok: text !== undefined && text === expected });
  }
  if (spec.maxDuration !== undefined) {
    out.push({ name: `duration < ${spec.maxDuration}ms`, ok: input !== undefined && input.durationMs < spec.maxDuration });
  }
  return out;
}
