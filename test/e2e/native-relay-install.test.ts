/**
 * @module test: the install step of the optional native relay (bin/build-native.js), on a copy of its sources: it
 * builds a loadable addon where a compiler exists, and without one the install still succeeds with one notice.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** bin/build-native.js and the addon's sources in a fresh tree, laid out as in the package. */
function copyOfSources(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codeblue-native-'));
  copies.push(dir);
  cpSync(join(ROOT, 'bin/build-native.js'), join(dir, 'bin/build-native.js'));
  // Every source the package ships there (not a build/ left by this checkout's own install).
  const native = join(ROOT, 'chaos/proxy/native');
  for (const file of readdirSync(native).filter((f) => /\.(cc|h|gyp)$/.test(f))) cpSync(join(native, file), join(dir, 'chaos/proxy/native', file));
  return dir;
}

function install(dir: string, env: Record<string, string> = {}): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(dir, 'bin/build-native.js')], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, stderr: result.stderr };
}

const addon = (dir: string): string => join(dir, 'chaos/proxy/native/build/Release/relay.node');

describe.runIf(process.platform === 'linux')('installing the native relay', { timeout: 300_000 }, () => {
  it('succeeds without a C++ compiler, says the JS relay will be used, and leaves no addon', () => {
    const dir = copyOfSources();
    const result = install(dir, { CXX: '/nonexistent/g++', CC: '/nonexistent/gcc' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^codeblue: native relay not built \(.+\); the chaos proxy uses its JS relay\n$/);
    expect(existsSync(addon(dir))).toBe(false);
  });

  it.runIf(existsSync('/usr/bin/g++'))('builds an addon that loads where a compiler exists', () => {
    const dir = copyOfSources();
    const result = install(dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const binding = createRequire(import.meta.url)(addon(dir)) as { start(cb: () => void): void; count(): number };
    binding.start(() => undefined);
    expect(binding.count()).toBe(0);
  });
});
