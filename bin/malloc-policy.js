// The launcher's allocator policy (bin/native/malloc.cc says why): one malloc arena for every thread, and the free
// pages given back every TRIM_EVERY_MS. Set before any thread allocates, so libuv's pool threads share the main
// arena. Without the addon (no compiler at install, not glibc) or with CODEBLUE_MALLOC_POLICY=off, nothing changes.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const ADDON = new URL('./native/build/Release/malloc.node', import.meta.url);
/**
 * A trim walks every free chunk: on a 50 MB malloc heap of 20,600 chunks it took 0.8 ms with nothing to give back and
 * 7 ms giving back ~20 MB (a pause like a young-generation GC's), so every 10 s rather than after each burst of frees.
 */
const TRIM_EVERY_MS = 10_000;

/**
 * Puts the policy in force and returns its trim (true when pages went back), or undefined when it is not: no addon,
 * switched off, or a C library without the arena limit.
 */
export function applyMallocPolicy() {
  if (process.platform !== 'linux' || process.env.CODEBLUE_MALLOC_POLICY === 'off' || !existsSync(ADDON)) return undefined;
  let binding;
  try {
    binding = createRequire(import.meta.url)(ADDON.pathname);
  } catch {
    return undefined; // built for another Node ABI, or a broken build: glibc's defaults still work
  }
  if (!binding.limitArenas(1)) return undefined;
  setInterval(() => binding.trim(), TRIM_EVERY_MS).unref();
  return { trim: () => binding.trim() };
}
