/**
 * @module test: the launcher's malloc policy (bin/malloc-policy.js) in a process of its own: freed memory between
 * live allocations goes back to the kernel when it trims, and CODEBLUE_MALLOC_POLICY=off leaves glibc as it is.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const POLICY = fileURLToPath(new URL('../../bin/malloc-policy.js', import.meta.url));
const ADDON = fileURLToPath(new URL('../../bin/native/build/Release/malloc.node', import.meta.url));

/**
 * 2,000 buffers of 60 KB (malloc'd, below glibc's mmap threshold), every tenth kept so the heap cannot shrink from its
 * top: ~108 MB freed between live chunks. Prints the anonymous RSS in KB after the frees, then after a trim.
 */
const SCRIPT = `
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
const { applyMallocPolicy } = await import(process.env.POLICY);
const policy = applyMallocPolicy();
const rssAnonKb = () => Number(/RssAnon:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
let buffers = Array.from({ length: 2000 }, () => Buffer.allocUnsafeSlow(60 * 1024).fill(1));
const kept = buffers.filter((_, i) => i % 10 === 0);
buffers = undefined;
for (let i = 0; i < 3; i++) { globalThis.gc(); await sleep(100); }
const before = rssAnonKb();
const trimmed = policy ? policy.trim() : null;
console.log(JSON.stringify({ applied: policy !== undefined, before, after: rssAnonKb(), trimmed, kept: kept.length }));
`;

function runScript(env: Record<string, string> = {}): { applied: boolean; before: number; after: number; trimmed: boolean | null } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCRIPT], { env: { ...process.env, POLICY, ...env }, encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { applied: boolean; before: number; after: number; trimmed: boolean | null };
}

describe.runIf(process.platform === 'linux' && existsSync(ADDON))('the launcher malloc policy', () => {
  it('gives the pages freed between live allocations back to the kernel', () => {
    const out = runScript();
    expect(out.applied).toBe(true);
    expect(out.trimmed).toBe(true);
    // ~108 MB were freed; at least half of it leaves the process's resident memory.
    expect(out.before - out.after).toBeGreaterThan(54 * 1024);
  });

  it('is not applied with CODEBLUE_MALLOC_POLICY=off', () => {
    const out = runScript({ CODEBLUE_MALLOC_POLICY: 'off' });
    expect(out.applied).toBe(false);
    expect(out.trimmed).toBe(null);
  });
});
