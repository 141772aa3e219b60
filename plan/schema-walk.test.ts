import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { discriminatorValuesAt, knownKeysAt, schemaAt } from './schema-walk.js';

const step = z.object({ name: z.string(), url: z.string() }).strict();
const scenario = z.discriminatedUnion('executor', [
  z.object({ executor: z.literal('constant-vus'), vus: z.number(), steps: z.array(step).optional() }).strict(),
  z.object({ executor: z.enum(['ramping-vus', 'ramping-arrival-rate']), stages: z.array(z.number()).default([]) }).strict(),
]);
const root = z.object({
  scenarios: z.record(z.string(), scenario),
  // every wrapper the walk must see through
  target: z.lazy(() => z.object({ baseUrl: z.string(), headers: z.record(z.string(), z.string()).optional() }).strict()).optional(),
  safety: z.object({ haltOn: z.string().nullable().default(null) }).strict().prefault({}).readonly(),
  output: z.object({ dir: z.string().default('runs') }).strict().catch({ dir: 'runs' }).transform((o) => ({ ...o, resolved: true })),
  probe: z.union([z.object({ http: z.string(), expect: z.number() }).strict(), z.object({ sql: z.string(), rows: z.number() }).strict()]),
}).strict();

describe('schema-walk (zod public API only)', () => {
  it('finds the keys of objects behind optional, lazy, prefault, readonly, catch and transform wrappers', () => {
    expect(knownKeysAt(root, [], {})).toEqual(['scenarios', 'target', 'safety', 'output', 'probe']);
    expect(knownKeysAt(root, ['target'], {})).toEqual(['baseUrl', 'headers']);
    expect(knownKeysAt(root, ['safety'], {})).toEqual(['haltOn']);
    expect(knownKeysAt(root, ['output'], {})).toEqual(['dir']);
  });

  it('follows records, arrays and the discriminator the data names', () => {
    const data = { scenarios: { admit: { executor: 'constant-vus', steps: [{}] }, ramp: { executor: 'ramping-arrival-rate' } } };
    expect(knownKeysAt(root, ['scenarios', 'admit'], data)).toEqual(['executor', 'vus', 'steps']);
    expect(knownKeysAt(root, ['scenarios', 'ramp'], data)).toEqual(['executor', 'stages']);
    expect(knownKeysAt(root, ['scenarios', 'admit', 'steps', 0], data)).toEqual(['name', 'url']);
    expect(schemaAt(root, ['scenarios', 'admit', 'steps', 0, 'url'], data)).toBeInstanceOf(z.ZodString);
  });

  it('offers every option when the discriminator value is unknown, and lists the allowed values', () => {
    const data = { scenarios: { x: { executor: 'constnt-vus' } } };
    expect(knownKeysAt(root, ['scenarios', 'x'], data)).toEqual(['executor', 'vus', 'steps', 'stages']);
    expect(discriminatorValuesAt(root, ['scenarios', 'x'], data, 'executor')).toEqual(['constant-vus', 'ramping-vus', 'ramping-arrival-rate']);
  });

  it('picks the plain-union options that know most of the data keys', () => {
    expect(knownKeysAt(root, ['probe'], { probe: { sql: 'select 1' } })).toEqual(['sql', 'rows']);
    expect(knownKeysAt(root, ['probe'], { probe: 'x' })).toEqual(['http', 'expect', 'sql', 'rows']);
  });

  it('no source file reads zod internals (`_zod`), which move between zod releases', () => {
    const top = fileURLToPath(new URL('..', import.meta.url));
    const rooms = ['core', 'plan', 'cli', 'scenarios', 'chaos', 'collectors', 'reports', 'dashboards', 'run', 'demo', 'bench', 'bin', 'test'];
    const offenders: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (entry.name.endsWith('.ts') && path !== fileURLToPath(import.meta.url) && /\b_zod\b/.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(top, path));
        }
      }
    };
    for (const room of rooms) {
      try {
        visit(join(top, room));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    expect(offenders).toEqual([]);
  });
});
