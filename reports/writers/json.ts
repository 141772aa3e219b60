/** @module reports/writers: `results.json` — validated against the schema before it is written. */
import { assertResults } from '../results/validate.js';
import type { RunResults } from '../results/types.js';
import type { ReportWriter } from './writer.js';

function renderJson(r: RunResults): string {
  assertResults(r, 'the evaluated run');
  return `${JSON.stringify(r)}\n`;
}

export const jsonWriter: ReportWriter = { format: 'json', file: 'results.json', render: renderJson };
