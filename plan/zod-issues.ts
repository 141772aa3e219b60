/** @module plan: zod issues → located plan issues with plain messages and hints. */
import type { z } from 'zod';
import type { Document, LineCounter } from 'yaml';
import type { PlanIssue } from '../core/index.js';
import { suggest } from './hints.js';
import { locate } from './locate.js';
import { discriminatorValuesAt, knownKeysAt } from './schema-walk.js';

type Issue = z.core.$ZodIssue;
type PathKey = string | number;

export interface IssueContext {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly schema: z.ZodType;
  readonly data: unknown;
}

/** Converts zod issues into plan issues; one unknown key = one issue. */
export function toPlanIssues(issues: readonly Issue[], ctx: IssueContext, prefix: readonly PathKey[] = []): PlanIssue[] {
  return issues.flatMap((issue) => convert(issue, ctx, prefix));
}

function convert(issue: Issue, ctx: IssueContext, prefix: readonly PathKey[]): PlanIssue[] {
  const path = [...prefix, ...(issue.path as PathKey[])];
  const at = (p: readonly PathKey[], message: string, hint?: string, atKey?: string): PlanIssue => ({
    file: ctx.file,
    ...locate(ctx.doc, ctx.lines, p, atKey),
    path: [...p, ...(atKey === undefined ? [] : [atKey])].join('.'),
    message,
    ...(hint === undefined ? {} : { hint }),
  });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(ctx.schema, path, ctx.data);
      return issue.keys.map((key) => at(path, `unknown key "${key}"`, suggest(key, known), key));
    }
    case 'invalid_union': {
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const got = valueAt(ctx.data, path);
        const allowed = discriminatorValuesAt(ctx.schema, path.slice(0, -1), ctx.data, issue.discriminator);
        const message = got === undefined ? `required — add it, e.g. ${issue.discriminator}: ${allowed[0] ?? '…'} (one of ${allowed.join(', ')})` : `unknown ${issue.discriminator} ${JSON.stringify(got)}`;
        return [at(path, message, got === undefined ? undefined : suggest(String(got), allowed))];
      }
      const branches = (issue.errors ?? []) as Issue[][];
      const got = valueAt(ctx.data, path);
      if (got === undefined) return [at(path, required(path, issue.message, unionExpectation(branches)))];
      if (typeof got === 'number' && !Number.isFinite(got)) return [at(path, nonFinite(got))];
      const best = closestBranch(branches);
      if (best) return best.flatMap((i) => convert(i, ctx, path));
      return [at(path, `${describe(got)} is not allowed here: ${unionExpectation(branches)}`)];
    }
    case 'invalid_type': {
      const got = valueAt(ctx.data, path);
      if (got === undefined) return [at(path, required(path, issue.message, `expected ${issue.expected}`))];
      if (typeof got === 'number' && !Number.isFinite(got)) return [at(path, nonFinite(got))];
      return [at(path, `expected ${issue.expected}, got ${describe(got)}`)];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const got = valueAt(ctx.data, path);
      const key = path[path.length - 1];
      const message = got === undefined ? `required — add it${typeof key === 'string' && allowed[0] !== undefined ? `, e.g. ${key}: ${allowed[0]}` : ''} (one of ${allowed.join(', ')})` : `expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(got)}`;
      return [at(path, message, got === undefined ? undefined : suggest(String(got), allowed))];
    }
    case 'too_small':
      return [at(path, bound('at least', issue.minimum, issue.origin, valueAt(ctx.data, path), issue.inclusive))];
    case 'too_big':
      return [at(path, bound('at most', issue.maximum, issue.origin, valueAt(ctx.data, path), issue.inclusive))];
    case 'invalid_key':
      // zod puts the offending key at the end of the path already; report the key's own problem.
      return (issue.issues as Issue[]).flatMap((inner) => convert({ ...inner, path: [] } as Issue, ctx, path));
    case 'invalid_element':
      return (issue.issues as Issue[]).flatMap((inner) => convert(inner, ctx, [...path, issue.key as PathKey]));
    case 'invalid_format':
      return [at(path, `${describe(valueAt(ctx.data, path))} is not a valid ${issue.format}${issue.message && !issue.message.startsWith('Invalid') ? `: ${issue.message}` : ''}`)];
    default: {
      const hint = (issue as { params?: { hint?: unknown } }).params?.hint;
      return [at(path, issue.message, typeof hint === 'string' ? hint : undefined)];
    }
  }
}

/**
 * The union branch the value was meant for: one whose issues are all inside the value (the value has the
 * branch's type; e.g. one misspelt key of a probe), with the fewest problems. Unknown keys count one each.
 */
function closestBranch(branches: readonly Issue[][]): Issue[] | undefined {
  const typeMismatch = (i: Issue): boolean => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union');
  const weight = (b: readonly Issue[]): number => b.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
  return branches.filter((b) => b.length > 0 && !b.some(typeMismatch)).sort((a, b) => weight(a) - weight(b))[0];
}

/** `required — add it, e.g. fault: 30s` (an example where the expected kind is known). */
function required(path: readonly PathKey[], message: string, expectation: string): string {
  const key = path[path.length - 1];
  const example = /duration/.test(message) ? '30s' : /ratio/.test(message) ? '99.95%' : /address/.test(message) ? '127.0.0.1:21001' : undefined;
  if (example !== undefined && typeof key === 'string') return `required — add it, e.g. ${key}: ${example}`;
  return `required — add it (${expectation})`;
}

function nonFinite(got: number): string {
  return `${String(got)} is too large: the number overflows (write a smaller value${got > 0 ? ', e.g. a duration of at most 365d' : ''})`;
}

function bound(word: string, limit: unknown, origin: string, got: unknown, inclusive?: boolean): string {
  const strict = inclusive === false ? (word === 'at least' ? 'more than' : 'less than') : word;
  if (origin === 'array') return `needs ${strict} ${String(limit)} item(s), but has ${Array.isArray(got) ? got.length : 0}`;
  if (origin === 'string') return `needs ${strict} ${String(limit)} character(s)`;
  return `must be ${strict} ${String(limit)}, but is ${describe(got)}`;
}

function unionExpectation(branches: readonly Issue[][]): string {
  const expected = branches.flatMap((b) => b.filter((i) => i.path.length === 0).flatMap((i) => {
    if (i.code === 'invalid_type') return [i.expected === 'object' ? 'a map' : i.expected];
    // A branch of named values (an enum beside a map form, e.g. outputs: `html` or `{ type: prometheus-rw, … }`).
    if (i.code === 'invalid_value') return [`one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`];
    return [];
  }));
  return expected.length > 0 ? `expected ${[...new Set(expected)].join(' or ')}` : 'it matches none of the allowed forms';
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined), data);
}

/** A short description of a value for messages: `"abc"`, `42`, `a list`, `a map`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
