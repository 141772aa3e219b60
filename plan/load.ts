/** @module plan: reads a plan file → a validated, resolved, frozen Plan, or a PlanError with every issue. */
import { readFile, stat } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { CodeblueError, PlanError, type PlanIssue } from '../core/index.js';
import { crossCheck } from './cross-checks.js';
import { locate } from './locate.js';
import { phaseWindows, runLength } from './resolve-times.js';
import { planSchema } from './schema.js';
import type { Plan } from './types.js';
import { toPlanIssues } from './zod-issues.js';

/** Plans larger than this are refused before parsing. */
export const MAX_PLAN_BYTES = 1024 * 1024;

/**
 * Loads and validates a plan file.
 * @example const plan = await loadPlan('codeblue.yaml');
 */
export async function loadPlan(file: string): Promise<Plan> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CodeblueError('CB_PLAN_UNREADABLE', `${file} is not a file`, { hint: 'pass the path of a codeblue.yaml' });
    size = info.size;
  } catch (err) {
    if (err instanceof CodeblueError) throw err;
    throw new CodeblueError('CB_PLAN_NOT_FOUND', `cannot read plan ${file}: no such file`, { hint: 'create one with `codeblue init`', cause: err });
  }
  if (size > MAX_PLAN_BYTES) throw tooLarge(file, size);
  return parsePlan(await readFile(file), file);
}

/** Validates plan text (YAML or JSON). Throws only `CodeblueError`s. */
export function parsePlan(source: string | Uint8Array, file = 'codeblue.yaml'): Plan {
  const text = decode(source, file);
  const fileIssue = (message: string, hint?: string, line = 1, column = 1): PlanError =>
    new PlanError([{ file, line, column, path: '', message, ...(hint ? { hint } : {}) }]);
  if (text.trim() === '') throw fileIssue('the plan is empty', 'start from `codeblue init`, which writes a commented plan');

  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    // The parser recurses per nesting level; pathological nesting exhausts the stack.
    throw fileIssue(`cannot parse the YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`, 'avoid deeply nested documents');
  }
  if (doc.errors.length > 0) {
    throw new PlanError(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${firstLine(e.message)}`, hint: 'check indentation, colons and quotes on this line' };
    }));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw fileIssue(`cannot read the YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`, 'avoid deeply nested or heavily aliased documents');
  }
  if (data === null || data === undefined) throw fileIssue('the plan is empty', 'start from `codeblue init`, which writes a commented plan');
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw fileIssue(`the plan must be a map of keys (name, target, scenarios, …), got ${Array.isArray(data) ? 'a list' : typeof data}`);
  }

  let parsed: ReturnType<typeof planSchema.safeParse>;
  try {
    parsed = planSchema.safeParse(data);
  } catch (err) {
    throw fileIssue(`cannot validate the plan: ${firstLine(err instanceof Error ? err.message : String(err))}`, 'avoid deeply nested documents');
  }
  if (!parsed.success) throw new PlanError(toPlanIssues(parsed.error.issues, { file, doc, lines, schema: planSchema, data }));

  const phases = phaseWindows(parsed.data);
  const runLengthMs = runLength(parsed.data, phases);
  const checked = crossCheck(parsed.data, phases, runLengthMs);
  if (checked.issues.length > 0) {
    throw new PlanError(checked.issues.map((i): PlanIssue => ({
      file,
      ...locate(doc, lines, i.path),
      path: i.path.join('.'),
      message: i.message,
      ...(i.hint ? { hint: i.hint } : {}),
    })));
  }
  const plan = { ...parsed.data, file, phases, runLengthMs, faults: checked.faults, thresholds: checked.thresholds };
  return deepFreeze(plan) as Plan;
}

function decode(source: string | Uint8Array, file: string): string {
  if (typeof source === 'string') {
    if (source.length > MAX_PLAN_BYTES) throw tooLarge(file, source.length);
    return source;
  }
  if (source.byteLength > MAX_PLAN_BYTES) throw tooLarge(file, source.byteLength);
  const notText = (): never => {
    throw new PlanError([{ file, line: 1, column: 1, path: '', message: 'the plan is not a text file (binary data or invalid UTF-8)', hint: 'a plan is YAML text, e.g. codeblue.yaml from `codeblue init`' }]);
  };
  if (source.includes(0)) notText();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(source).replace(/^\uFEFF/, '');
  } catch {
    return notText();
  }
}

function tooLarge(file: string, size: number): PlanError {
  return new PlanError([{ file, line: 1, column: 1, path: '', message: `the plan is ${(size / 1024 / 1024).toFixed(1)} MiB; plans are at most ${MAX_PLAN_BYTES / 1024 / 1024} MiB`, hint: 'a plan describes a drill; keep data out of it (synthetic data is generated)' }]);
}

const firstLine = (s: string): string => s.split('\n')[0] ?? s;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
