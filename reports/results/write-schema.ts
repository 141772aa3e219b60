/** @module reports/results: regenerates reports/results.schema.json from the zod schema (run with tsx). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsJsonSchema } from './schema.js';

const target = fileURLToPath(new URL('../results.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
