// The lean `codeblue chaos serve`: cli/serve-main.ts bundled once into plain JS (node_modules/.cache/codeblue/) and
// run without tsx. tsx's loader runs on its own thread (a second V8 heap, ~35 MB), which alone would break issue
// #14's memory goal for a standalone server. Rebuilt when any bundled source is newer than the bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = `${ROOT}node_modules/.cache/codeblue/`;
const BUNDLE = `${CACHE}serve-main.mjs`;
const INPUTS = `${CACHE}serve-main.inputs.json`;
const GLOBAL_FLAGS = new Set(['--json', '--no-color', '--debug']);

/** True when the arguments ask for `chaos serve` (global flags may come first). */
export function isChaosServe(args) {
  let i = 0;
  while (i < args.length && GLOBAL_FLAGS.has(args[i])) i++;
  return args[i] === 'chaos' && args[i + 1] === 'serve';
}

function isFresh() {
  if (!existsSync(BUNDLE) || !existsSync(INPUTS)) return false;
  const built = statSync(BUNDLE).mtimeMs;
  try {
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
    return inputs.every((file) => statSync(`${ROOT}${file}`).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** The bundle's path, built first when stale (in a child process, so this one never loads esbuild); undefined when it cannot be built. */
export function leanServeBundle() {
  if (isFresh()) return BUNDLE;
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('build-serve.js', import.meta.url))], { stdio: ['ignore', 'ignore', 'pipe'] });
  return built.status === 0 && existsSync(BUNDLE) ? BUNDLE : undefined;
}
