/**
 * @module demo: the demo is a target like any other — nothing in demo/ may import codeblue's own code. Its tests and
 * testing/ helpers may use the repository's shared test support (test/support/), which is no part of codeblue.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url));
const TEST_SUPPORT_DIR = fileURLToPath(new URL('../test/support/', import.meta.url));
const isTestCode = (file: string): boolean => file.endsWith('.test.ts') || file.includes(`${path.sep}testing${path.sep}`);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('demo import boundary', () => {
  it('imports only node built-ins, npm packages and files inside demo/ (its tests also test/support/)', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(DEMO_DIR)) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
      for (const spec of specifiers.filter((s) => s.startsWith('.'))) {
        const target = path.resolve(path.dirname(file), spec);
        if (target.startsWith(DEMO_DIR) || (isTestCode(file) && target.startsWith(TEST_SUPPORT_DIR))) continue;
        offenders.push(`${path.relative(DEMO_DIR, file)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(tsFiles(DEMO_DIR).length).toBeGreaterThan(40);
  });
});
