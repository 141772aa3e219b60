#!/usr/bin/env node
// codeblue needs no build step after `npm install`: each start runs a plain-JS bundle of its TypeScript, built once
// and rebuilt when a source is newer (lean-bundle.js says why: tsx's loader thread would cost ~60 MB of every run),
// `chaos serve` a bundle of the chaos server alone. When a bundle cannot be built, tsx runs the sources directly.
import { isChaosServe, leanBundle } from './lean-bundle.js';

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
