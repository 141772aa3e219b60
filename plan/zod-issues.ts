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
        const message = got === undefined ? `is required (one of ${allowed.join(', ')})` : `unknown ${issue.discriminator} ${JSON.stringify(got)}`;
        return [at(path, message, got === undefined ? undefined : suggest(String(got), allowed))];
      }
      const branches = (issue.errors ?? []) as Issue[][];
      const deep = branches.filter((b) => b.length > 0 && b.every((i) => i.path.length > 0));
      const best = deep.sort((a, b) => a.length - b.length)[0];
      if (best) return best.flatMap((i) => convert(i, ctx, path));
      return [at(path, `${describe(valueAt(ctx.data, path))} is not allowed here: ${unionExpectation(branches)}`)];
    }
    case 'invalid_type': {
      const got = valueAt(ctx.data, path);
      if (got === undefined) return [at(path, `is required (expected ${issue.expected})`)];
      return [at(path, `expected ${issue.expected}, got ${describe(got)}`)];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const got = valueAt(ctx.data, path);
      const message = got === undefined ? `is required (one of ${allowed.join(', ')})` : `expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(got)}`;
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

function bound(word: string, limit: unknown, origin: string, got: unknown, inclusive?: boolean): string {
  const strict = inclusive === false ? (word === 'at least' ? 'more than' : 'less than') : word;
  if (origin === 'array') return `needs ${strict} ${String(limit)} item(s), but has ${Array.isArray(got) ? got.length : 0}`;
  if (origin === 'string') return `needs ${strict} ${String(limit)} character(s)`;
  return `must be ${strict} ${String(limit)}, but is ${describe(got)}`;
}

function unionExpectation(branches: readonly Issue[][]): string {
  const expected = branches.flatMap((b) => b.filter((i) => i.code === 'invalid_type').map((i) => (i as { expected: string }).expected));
  return expected.length > 0 ? `expected ${[...new Set(expected)].join(' or ')}` : 'it matches none of the allowed forms';
}

export function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined), data);
}

/** A short description of a value for messages: `"abc"`, `42`, `a list`, `a map`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
