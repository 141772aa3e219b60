/** @module plan: docs/plan.md and plan/plan.schema.json are generated from the zod schema and must not drift from it. */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePlan } from './index.js';
import { NOTES } from './reference-notes.js';
import { noteGaps, NOTES_FILE, renderPlanJsonSchema, renderPlanReference } from './reference-render.js';
import { planJsonSchema, referenceRows } from './reference.js';

const ROOT = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');
const REGENERATE = 'the plan schema changed: run `npm run docs` and commit docs/plan.md and plan/plan.schema.json';

describe('plan reference', () => {
  it('has a note for every key of the schema, and none for keys that are gone', () => {
    const { missing, stale } = noteGaps(referenceRows());
    const problems = [
      ...missing.map((p) => `plan key "${p}" has no note: add an entry for it to ${NOTES_FILE}, then run npm run docs`),
      ...stale.map((p) => `${NOTES_FILE} has a note for "${p}", which is no longer a plan key: remove or rename it`),
    ];
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('names a new schema key that has no note, with the file to edit', () => {
    const rows = [...referenceRows(), { path: 'slos[].newKey', type: 'string', required: false }];
    expect(noteGaps(rows, NOTES)).toEqual({ missing: ['slos[].newKey'], stale: [] });
    expect(renderPlanReference(rows, NOTES)).toContain(`TODO: add a note in ${NOTES_FILE}`);
  });

  it('docs/plan.md is what the generator writes from the current schema', () => {
    expect(read('docs/plan.md') === renderPlanReference(), REGENERATE).toBe(true);
  });

  it('plan/plan.schema.json is the current JSON Schema of the plan', () => {
    expect(read('plan/plan.schema.json') === renderPlanJsonSchema(), REGENERATE).toBe(true);
  });

  it('lists every key, nested ones and union variants included', () => {
    const paths = referenceRows().map((r) => r.path);
    for (const p of ['target.start', 'scenarios.*.executor', 'scenarios.*.rate', 'scenarios.*.steps[].request.expectedStatuses', 'scenarios.*.steps[].onlyIf',
      'scenarios.*.steps[].ledger.read', 'hypothesis[].selector.span', 'hypothesis[].assert.duration', 'collectors.forward', 'thresholds.*[].abortOnFail']) {
      expect(paths).toContain(p);
    }
    expect(referenceRows().find((r) => r.path === 'scenarios.*.rate')?.only).toBe('executor: constant-arrival-rate');
  });

  it('the minimal plan in docs/plan.md validates', () => {
    const yaml = /## A minimal plan\n\n```yaml\n([\s\S]*?)```/.exec(read('docs/plan.md'))?.[1];
    expect(yaml).toBeDefined();
    expect(parsePlan(yaml as string, 'docs/plan.md').name).toBe('my-first-drill');
  });

  it('the JSON Schema editors use accepts every template and rejects an unknown key', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(planJsonSchema());
    const dir = new URL('examples/', ROOT);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const ok = validate(parse(readFileSync(new URL(file, dir), 'utf8')));
      expect(ok, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ name: 'x', target: { baseUrl: 'http://127.0.0.1:1', bogus: 1 }, scenarios: {} })).toBe(false);
  });
});
