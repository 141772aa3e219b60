/** @module reports/writers: the explicit renderer registry and `writeReports`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeblueError } from '../../core/index.js';
import type { RunResults } from '../results/types.js';
import { htmlWriter } from './html.js';
import { jsonWriter } from './json.js';
import { junitWriter } from './junit.js';
import { markdownWriter } from './markdown.js';
import type { ReportFormat, ReportWriter } from './writer.js';

export const WRITERS: readonly ReportWriter[] = [jsonWriter, htmlWriter, junitWriter, markdownWriter];
export const REPORT_FORMATS: readonly ReportFormat[] = WRITERS.map((w) => w.format);

/** `html,junit` → formats; unknown names are a CB_USAGE error listing the known ones. */
export function parseFormats(text: string): ReportFormat[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !REPORT_FORMATS.includes(n as ReportFormat));
  if (bad.length || names.length === 0) {
    throw new CodeblueError('CB_USAGE', `unknown report format ${bad.map((b) => `"${b}"`).join(', ') || '(none)'}`, { hint: `use a comma-separated list of ${REPORT_FORMATS.join(', ')}` });
  }
  return [...new Set(names as ReportFormat[])];
}

/**
 * Renders the chosen formats into `runDir` (all of them by default); returns the files written.
 * Everything is rendered before anything is written, so a render failure leaves no half set.
 */
export function writeReports(runDir: string, results: RunResults, formats: readonly ReportFormat[] = REPORT_FORMATS): string[] {
  const rendered = WRITERS.filter((w) => formats.includes(w.format)).map((w) => ({ file: join(runDir, w.file), text: w.render(results) }));
  for (const r of rendered) writeFileSync(r.file, r.text);
  return rendered.map((r) => r.file);
}

export type { ReportFormat, ReportWriter } from './writer.js';
