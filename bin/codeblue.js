#!/usr/bin/env node
// codeblue needs no build step after `npm install`: each start runs a plain-JS bundle of its TypeScript, built once
// and rebuilt when a source is newer (lean-bundle.js says why: tsx's loader thread would cost ~60 MB of every run),
// `chaos serve` a bundle of the chaos server alone. When a bundle cannot be built, tsx runs the sources directly.
import { setFlagsFromString } from 'node:v8';
import { isChaosServe, leanBundle } from './lean-bundle.js';

const entry = isChaosServe(process.argv.slice(2)) ? 'serve-main' : 'main';
if (entry === 'main') {
  // A game day allocates a few MB/s that live seconds (spans waiting for their trace, requests in flight), so V8
  // grows the old generation to 3–4× what is live: 460–480 MB RSS for ~90 MB live in a soak (issue #19). A fixed
  // 30 % headroom keeps the heap near its live size, for more frequent (incremental, mostly concurrent) mark-compacts.
  // Read by V8 at each GC, so setting it before anything is loaded is as good as the command-line flag.
  setFlagsFromString('--heap-growing-percent=30');
}
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
