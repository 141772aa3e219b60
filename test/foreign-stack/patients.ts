/** @module test/foreign-stack: Patient storage in PostgreSQL — one table (name given per run), JSONB resources. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dbSpan } from './telemetry.js';

export interface PatientStore {
  ready(): Promise<boolean>;
  create(resource: Record<string, unknown>): Promise<Record<string, unknown>>;
  read(id: string): Promise<Record<string, unknown> | undefined>;
  /** R4 string search: `family` / `given` match the start of the name, case-insensitively. */
  search(family: string | undefined, given: string | undefined, count: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const nameOf = (r: Record<string, unknown>): { family: string; given: string } => {
  const name = (Array.isArray(r.name) ? r.name[0] : undefined) as { family?: string; given?: string[] } | undefined;
  return { family: name?.family ?? '', given: name?.given?.[0] ?? '' };
};

export async function openPatientStore(o: { host: string; port: number; database: string; user: string; table: string }): Promise<PatientStore> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(o.table)) throw new Error(`bad table name ${o.table}`);
  const pool = new pg.Pool({ host: o.host, port: o.port, database: o.database, user: o.user, max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined); // a dropped idle connection (a fault) must not end the process
  const t = o.table;
  await pool.query(`CREATE TABLE IF NOT EXISTS ${t} (id text PRIMARY KEY, family text NOT NULL, given text NOT NULL, resource jsonb NOT NULL)`);
  return {
    ready: () => pool.query('SELECT 1').then(() => true, () => false),
    create: (resource) =>
      dbSpan(`INSERT INTO ${t}`, async () => {
        const stored = { ...resource, id: randomUUID(), meta: { versionId: '1', lastUpdated: new Date().toISOString() } };
        const { family, given } = nameOf(stored);
        await pool.query(`INSERT INTO ${t} (id, family, given, resource) VALUES ($1, $2, $3, $4)`, [stored.id, family, given, stored]);
        return stored;
      }),
    read: (id) => dbSpan(`SELECT ${t} by id`, async () => (await pool.query(`SELECT resource FROM ${t} WHERE id = $1`, [id])).rows[0]?.resource),
    search: (family, given, count) =>
      dbSpan(`SELECT ${t} search`, async () => {
        const r = await pool.query(
          `SELECT resource FROM ${t} WHERE ($1::text IS NULL OR lower(family) LIKE lower($1) || '%') AND ($2::text IS NULL OR lower(given) LIKE lower($2) || '%') ORDER BY id LIMIT $3`,
          [family ?? null, given ?? null, count],
        );
        return r.rows.map((row: { resource: Record<string, unknown> }) => row.resource);
      }),
    close: () => pool.end(),
  };
}
