#!/usr/bin/env node
// codeblue runs its TypeScript directly through tsx: no build step after `npm install`. The one exception is the
// long-running `chaos serve`, run as a plain-JS bundle when it can be built (lean-serve.js says why).
import { isChaosServe, leanServeBundle } from './lean-serve.js';

const args = process.argv.slice(2);
const lean = isChaosServe(args) ? leanServeBundle() : undefined;
if (lean) {
  await import(lean);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(isChaosServe(args) ? '../cli/serve-main.ts' : '../cli/main.ts');
}
