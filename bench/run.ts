/**
 * @module bench: `npm run bench [-- name… --flag value]` runs each engine's benchmark; each prints ratios against its
 * reference. A bench learns whether it was named (a long default, e.g. the full soak) or runs in the default list
 * (CI: kept short), and gets the `--flag value` pairs.
 */
import { readdirSync } from 'node:fs';

/** What `run()` of a bench receives. */
export interface BenchContext {
  /** True when the bench was named on the command line; false in the default list (CI). */
  readonly named: boolean;
  /** `--name value` or `--name=value` flags, by name; a bare `--name` is "true". */
  readonly flags: Readonly<Record<string, string>>;
}

const here = new URL('.', import.meta.url);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const asked: string[] = [];
const flags: Record<string, string> = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i] as string;
  if (!arg.startsWith('--')) {
    asked.push(arg);
    continue;
  }
  const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
  const next = argv[i + 1];
  // A flag's value is the next word unless that word names a bench (`--quick soak` is a flag and a bench).
  if (inline !== undefined) flags[name] = inline;
  else if (next !== undefined && !next.startsWith('--') && !available.includes(next)) flags[name] = (i++, next);
  else flags[name] = 'true';
}
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  process.stderr.write(`error CB_USAGE unknown benchmark(s): ${unknown.join(', ')}\n  hint: choose from ${available.join(', ')}\n`);
  process.exit(2);
}

for (const name of asked.length > 0 ? asked : available) {
  process.stdout.write(`\n== bench ${name} ==\n`);
  const mod = (await import(new URL(`${name}.ts`, here).href)) as { run: (ctx: BenchContext) => Promise<void> };
  await mod.run({ named: asked.length > 0, flags });
}
