/**
 * @module test: the install step of the optional native addons (bin/build-native.js: the relay and the malloc
 * policy), on a copy of their sources: it builds loadable addons where a compiler exists, and without one the install
 * still succeeds with one notice per addon.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADDON_DIRS = ['chaos/proxy/native', 'bin/native'];
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** bin/build-native.js and the addons' sources in a fresh tree, laid out as in the package. */
function copyOfSources(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codeblue-native-'));
  copies.push(dir);
  cpSync(join(ROOT, 'bin/build-native.js'), join(dir, 'bin/build-native.js'));
  // Every source the package ships there (not a build/ left by this checkout's own install).
  for (const native of ADDON_DIRS) {
    for (const file of readdirSync(join(ROOT, native)).filter((f) => /\.(cc|h|gyp)$/.test(f))) cpSync(join(ROOT, native, file), join(dir, native, file));
  }
  return dir;
}

function install(dir: string, env: Record<string, string> = {}): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(dir, 'bin/build-native.js')], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, stderr: result.stderr };
}

const relayAddon = (dir: string): string => join(dir, 'chaos/proxy/native/build/Release/relay.node');
const mallocAddon = (dir: string): string => join(dir, 'bin/native/build/Release/malloc.node');

describe.runIf(process.platform === 'linux')('installing the native addons', { timeout: 300_000 }, () => {
  it('succeeds without a C++ compiler, says what is used instead, and leaves no addon', () => {
    const dir = copyOfSources();
    const result = install(dir, { CXX: '/nonexistent/g++', CC: '/nonexistent/gcc' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^codeblue: native relay not built \(.+\); the chaos proxy uses its JS relay\ncodeblue: malloc policy not built \(.+\); glibc's defaults apply\n$/);
    expect(existsSync(relayAddon(dir))).toBe(false);
    expect(existsSync(mallocAddon(dir))).toBe(false);
  });

  it('skips only the relay with CODEBLUE_NATIVE_RELAY=off', () => {
    const dir = copyOfSources();
    const result = install(dir, { CODEBLUE_NATIVE_RELAY: 'off', CXX: '/nonexistent/g++', CC: '/nonexistent/gcc' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^codeblue: malloc policy not built \(.+\); glibc's defaults apply\n$/);
  });

  it.runIf(existsSync('/usr/bin/g++'))('builds addons that load where a compiler exists', () => {
    const dir = copyOfSources();
    const result = install(dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const relay = createRequire(import.meta.url)(relayAddon(dir)) as { start(cb: () => void): void; count(): number };
    relay.start(() => undefined);
    expect(relay.count()).toBe(0);
    const malloc = createRequire(import.meta.url)(mallocAddon(dir)) as { limitArenas(n: number): boolean; trim(): boolean };
    expect(() => malloc.limitArenas(0)).toThrow(/n >= 1/);
    expect(typeof malloc.trim()).toBe('boolean');
  });
});
