#!/usr/bin/env -S node --max-semi-space-size=4
// codeblue needs no build step after `npm install`: each start runs a plain-JS bundle of its TypeScript, built once
// and rebuilt when a source is newer (lean-bundle.js says why: tsx's loader thread would cost ~60 MB of every run),
// `chaos serve` a bundle of the chaos server alone. When a bundle cannot be built, tsx runs the sources directly.
import { setFlagsFromString } from 'node:v8';
import { isChaosServe, leanBundle } from './lean-bundle.js';
import { applyMallocPolicy } from './malloc-policy.js';

// With memory to spare, V8 lets the heap grow to ~4× what is live before a full collection: a run's ~60 MB of live
// objects sat in ~240 MB of heap, most of it garbage. At 1.5× the 10-minute soak's RSS peak fell from 455 to 278–299 MB
// and its verdict came sooner, for ~10 % more CPU (bench/soak.ts); a flag given on the command line wins. The young
// generation can only be sized at start, so the shebang (and `npm run demo`) caps its semi-spaces at 4 MB, not 16:
// ~25 MB less RSS at the same CPU on a 4-minute soak; `node bin/codeblue.js` without the flag still works.
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) setFlagsFromString('--heap-growing-percent=50');
// Outside V8's heap, glibc held ~30 MB of a soak's 64 MB malloc'd that was free (bin/native/malloc.cc).
applyMallocPolicy();

const entry = isChaosServe(process.argv.slice(2)) ? 'serve-main' : 'main';
const lean = leanBundle(entry);
// With --debug, stack traces name the TypeScript sources (the bundle's linked source map), as under tsx.
if (lean && process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
if (lean) {
  await import(lean);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(entry === 'serve-main' ? '../cli/serve-main.ts' : '../cli/main.ts');
}
