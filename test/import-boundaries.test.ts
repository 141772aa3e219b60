/** @module test: the rooms' data flow has no back-edges (design.md). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const ROOMS = ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards', 'run', 'cli', 'demo'] as const;
type Room = (typeof ROOMS)[number];

/** Which rooms each room may import (type-only imports of collectors are allowed for reports/dashboards). */
const ALLOWED: Record<Room, readonly Room[]> = {
  core: [],
  plan: ['core', 'scenarios', 'chaos', 'reports', 'collectors'],
  scenarios: ['core'],
  chaos: ['core'],
  collectors: ['core'],
  reports: ['core', 'plan', 'collectors'],
  dashboards: ['core', 'plan', 'collectors'],
  run: ['core', 'plan', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards'],
  cli: ROOMS.filter((r) => r !== 'demo'),
  demo: [],
};

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.ts$/.test(name) && !name.endsWith('.test.ts')) yield path;
  }
}

function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ spec: m[3] as string, typeOnly: Boolean(m[2]) }));
}

describe('import boundaries', () => {
  const existing = ROOMS.filter((room) => { try { return statSync(join(ROOT, room)).isDirectory(); } catch { return false; } });
  it.each(existing)('%s imports only the rooms it may', (room) => {
    const problems: string[] = [];
    for (const file of sources(join(ROOT, room))) {
      for (const { spec, typeOnly } of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(file, '..', spec)).split(sep)[0] as Room;
        if (target === room || !ROOMS.includes(target)) continue;
        const typeOnlyOk = typeOnly && (room === 'reports' || room === 'dashboards') && target === 'collectors';
        if (!ALLOWED[room].includes(target) && !typeOnlyOk) problems.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
