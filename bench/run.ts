/** @module bench: `npm run bench [-- name…]` runs each engine's benchmark; each prints ratios against its reference. */
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  process.stderr.write(`error CB_USAGE unknown benchmark(s): ${unknown.join(', ')}\n  hint: choose from ${available.join(', ')}\n`);
  process.exit(2);
}

for (const name of asked.length > 0 ? asked : available) {
  process.stdout.write(`\n== bench ${name} ==\n`);
  const mod = (await import(new URL(`${name}.ts`, here).href)) as { run: () => Promise<void> };
  await mod.run();
}
