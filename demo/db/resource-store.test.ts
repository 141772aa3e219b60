/** @module demo/db: name searches page the same way with few and with many matches (real PostgreSQL, own schema). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';
import { migrate } from './migrations.js';
import { createPool } from './pool.js';
import { ResourceStore, type ResourceJson } from './resource-store.js';

const schema = `demo_store_${process.pid}_${Date.now().toString(36)}`;
const patient = (id: string, family: string, given = 'Test'): ResourceJson => ({ resourceType: 'Patient', id, name: [{ family, given: [given] }] });

describe('ResourceStore name search', { timeout: 30_000 }, () => {
  const pool = createPool(TEST_DATABASE_URL, undefined, { max: 2 });
  const store = new ResourceStore(schema);
  beforeAll(async () => {
    await migrate(pool, schema);
    // 260 "Many" (past the 200 matches where a page stops being a join) interleaved with 40 others, in seq order.
    const rows = Array.from({ length: 300 }, (_, i) => (i % 15 < 13 ? patient(`m${i}`, 'Many', i === 7 ? 'Many' : 'Test') : patient(`o${i}`, 'Other')));
    for (const r of rows) await store.insert(pool, r, r.id);
  });
  afterAll(async () => {
    await pool.end();
    await dropSchema(schema);
  });

  const expected = async (family: string): Promise<string[]> =>
    (await pool.query<{ id: string }>(`select id from ${schema}.resources where type = 'Patient' and content->'name'->0->>'family' = $1 order by seq`, [family])).rows.map((r) => r.id);

  it('counts each Patient once and pages in seq order past 200 matches', async () => {
    const all = await expected('Many');
    expect(all).toHaveLength(260);
    const seen: string[] = [];
    for (let offset = 0; offset < 280; offset += 40) {
      const page = await store.search(pool, 'Patient', [{ kind: 'name-prefix', prefix: 'MAN' }], 40, offset);
      expect(page.total).toBe(260);
      seen.push(...page.resources.map((r) => r.id));
    }
    expect(seen).toEqual(all);
  });

  it('pages a name with few matches, and a family search combined with a given name, in seq order', async () => {
    const page = await store.search(pool, 'Patient', [{ kind: 'name-prefix', prefix: 'oth' }], 10, 30);
    expect(page.total).toBe(40);
    expect(page.resources.map((r) => r.id)).toEqual((await expected('Other')).slice(30, 40));
    const both = await store.search(pool, 'Patient', [{ kind: 'name-prefix', prefix: 'many', part: 'family' }, { kind: 'name-prefix', prefix: 'many', part: 'given' }], 10, 0);
    expect({ total: both.total, ids: both.resources.map((r) => r.id) }).toEqual({ total: 1, ids: ['m7'] });
    expect(await store.search(pool, 'Patient', [{ kind: 'name-prefix', prefix: 'nobody' }], 10, 0)).toEqual({ total: 0, resources: [] });
  });
});
