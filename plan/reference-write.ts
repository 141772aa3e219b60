/** @module plan: `npm run docs` — regenerates docs/plan.md and plan/plan.schema.json from the schema. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noteGaps, NOTES_FILE, renderPlanJsonSchema, renderPlanReference } from './reference-render.js';
import { referenceRows } from './reference.js';

const root = new URL('../', import.meta.url);
const rows = referenceRows();
const gaps = noteGaps(rows);
mkdirSync(new URL('docs/', root), { recursive: true });
writeFileSync(new URL('docs/plan.md', root), renderPlanReference(rows));
writeFileSync(new URL('plan/plan.schema.json', root), renderPlanJsonSchema());
process.stdout.write(`wrote ${fileURLToPath(new URL('docs/plan.md', root))} (${rows.length} keys) and plan/plan.schema.json\n`);
for (const p of gaps.missing) process.stderr.write(`missing note: "${p}" — add it to ${NOTES_FILE}\n`);
for (const p of gaps.stale) process.stderr.write(`stale note: "${p}" is no longer a plan key — remove it from ${NOTES_FILE}\n`);
if (gaps.missing.length + gaps.stale.length > 0) process.exitCode = 1;
