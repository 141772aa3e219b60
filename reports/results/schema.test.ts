import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { resultsJsonSchema } from './schema.js';
import { checkResults } from './validate.js';

const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../results.schema.json', import.meta.url)), 'utf8')) as Record<string, unknown>;

/** Deep copy, then one change. */
function mutate(value: unknown, change: (doc: any) => void): unknown {
  const doc = JSON.parse(JSON.stringify(value));
  change(doc);
  return doc;
}

describe('results.json schema', () => {
  it('the committed results.schema.json is the one generated from the validator (npx tsx reports/results/write-schema.ts)', () => {
    expect(committed).toEqual(resultsJsonSchema());
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(committed);
  const good = JSON.parse(JSON.stringify(evaluateRun(sampleRunInput())));
  const fixtures: [string, unknown, boolean][] = [
    ['an evaluated run', good, true],
    ['a run without optional sections', mutate(good, (d) => { d.phi = null; d.ledger = null; d.join = null; d.slos = []; d.faults = []; }), true],
    ['missing meta', mutate(good, (d) => { delete d.meta; }), false],
    ['an unknown status', mutate(good, (d) => { d.meta.status = 'maybe'; }), false],
    ['an unknown top-level key', mutate(good, (d) => { d.extra = 1; }), false],
    ['a verdict kind nobody knows', mutate(good, (d) => { d.verdicts[0].kind = 'vibe'; }), false],
    ['an error rate above 1', mutate(good, (d) => { d.timeline.overall.errorRate[3] = 1.5; }), false],
    ['a negative request count', mutate(good, (d) => { d.phaseTables[0].total.count = -1; }), false],
    ['a resilience score of 120', mutate(good, (d) => { d.resilience.score = 120; }), false],
    ['a journal action nobody knows', mutate(good, (d) => { d.journal[0].action = 'explode'; }), false],
    ['schemaVersion 2', mutate(good, (d) => { d.schemaVersion = 2; }), false],
    ['a string where a latency goes', mutate(good, (d) => { d.timeline.overall.p95Ms[0] = '12ms'; }), false],
  ];

  it.each(fixtures)('JSON Schema (ajv) and the zod validator agree on %s', (_name, doc, valid) => {
    const byAjv = validate(doc);
    const byZod = checkResults(doc).ok;
    expect(byAjv).toBe(valid);
    expect(byZod).toBe(valid);
  });
});
