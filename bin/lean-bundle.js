// codeblue's plain-JS entries: cli/main.ts (every command) and cli/serve-main.ts (`chaos serve` alone) bundled once
// into node_modules/.cache/codeblue/ and run without tsx. tsx's loader runs on its own thread (a second V8 heap) and
// keeps its transpile caches: ~60 MB of a game day's RSS (issue #19's 250 MB goal) and ~35 MB of an idle chaos
// server (issue #14's goal). A bundle is rebuilt when any source it holds is newer than it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = `${ROOT}node_modules/.cache/codeblue/`;
const GLOBAL_FLAGS = new Set(['--json', '--no-color', '--debug']);

/** True when the arguments ask for `chaos serve` (global flags may come first). */
export function isChaosServe(args) {
  let i = 0;
  while (i < args.length && GLOBAL_FLAGS.has(args[i])) i++;
  return args[i] === 'chaos' && args[i + 1] === 'serve';
}

function isFresh(bundle, inputsFile) {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return false;
  const built = statSync(bundle).mtimeMs;
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return inputs.every((file) => statSync(`${ROOT}${file}`).mtimeMs <= built);
  } catch {
    return false;
  }
}

/**
 * The bundle of `cli/<entry>.ts` ('main' or 'serve-main'), built first when stale (in a child process, so this one
 * never loads esbuild); undefined when it cannot be built (the caller then runs the sources through tsx).
 */
export function leanBundle(entry) {
  const bundle = `${CACHE}${entry}.mjs`;
  const inputs = `${CACHE}${entry}.inputs.json`;
  if (isFresh(bundle, inputs)) return bundle;
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('build-bundle.js', import.meta.url)), entry], { stdio: ['ignore', 'ignore', 'pipe'] });
  return built.status === 0 && existsSync(bundle) ? bundle : undefined;
}
