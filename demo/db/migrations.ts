/** @module demo/db: idempotent schema migrations, each applied once per schema under an advisory lock. */
import type pg from 'pg';
import { inTransaction } from './transaction.js';

const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
    create table if not exists ${s}.resources (
      seq bigserial not null,
      type text not null,
      id text not null,
      version_id integer not null,
      content jsonb not null,
      patient_id text,
      last_updated timestamptz not null default now(),
      primary key (type, id));
    create index if not exists resources_type_seq on ${s}.resources (type, seq);
    create index if not exists resources_type_patient on ${s}.resources (type, patient_id);
    create table if not exists ${s}.slot_bookings (
      slot_id text primary key,
      appointment_id text not null,
      booked_at timestamptz not null default now());
    create table if not exists ${s}.outbox (
      id bigserial primary key,
      topic text not null,
      payload jsonb not null,
      status text not null default 'pending',
      attempts integer not null default 0,
      available_at timestamptz not null default now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      processed_at timestamptz);
    create index if not exists outbox_due on ${s}.outbox (status, available_at);`,
  // Searches stay lookups as the table grows (#19): without these an identifier search and a name search read every
  // Patient row, twice (page and total), and bounded a soak's request rate. Narrow on purpose: a GIN over all of
  // `content` (tried in 85f8910) also indexes every Observation and Encounter path on every write.
  (s) => `
    create index if not exists resources_identifier on ${s}.resources using gin ((content->'identifier') jsonb_path_ops);
    -- One row per lower-cased name part of a Patient; "C" collation so a prefix LIKE is a btree range scan.
    create table if not exists ${s}.patient_names (
      id text not null,
      kind text not null,
      part text collate "C" not null);
    create index if not exists patient_names_part on ${s}.patient_names (part);
    create index if not exists patient_names_id on ${s}.patient_names (id);
    create or replace function ${s}.patient_name_parts(doc jsonb) returns table (kind text, part text) language sql immutable as $fn$
      with n as (select n from jsonb_array_elements(case when jsonb_typeof(doc->'name') = 'array' then doc->'name' else '[]' end) n)
      select 'family', lower(n->>'family') from n where n->>'family' is not null
      union all select 'text', lower(n->>'text') from n where n->>'text' is not null
      union all select 'given', lower(g) from n, jsonb_array_elements_text(case when jsonb_typeof(n->'given') = 'array' then n->'given' else '[]' end) g
    $fn$;
    create or replace function ${s}.index_patient_names() returns trigger language plpgsql as $fn$
    begin
      if tg_op <> 'INSERT' then delete from ${s}.patient_names where id = old.id; end if;
      if tg_op <> 'DELETE' then insert into ${s}.patient_names (id, kind, part) select new.id, p.kind, p.part from ${s}.patient_name_parts(new.content) p; end if;
      return null;
    end
    $fn$;
    drop trigger if exists patient_names_written on ${s}.resources;
    create trigger patient_names_written after insert or update on ${s}.resources for each row when (new.type = 'Patient') execute function ${s}.index_patient_names();
    drop trigger if exists patient_names_deleted on ${s}.resources;
    create trigger patient_names_deleted after delete on ${s}.resources for each row when (old.type = 'Patient') execute function ${s}.index_patient_names();
    insert into ${s}.patient_names (id, kind, part) select r.id, p.kind, p.part from ${s}.resources r, ${s}.patient_name_parts(r.content) p where r.type = 'Patient';`,
  // The claim reads open jobs in id order from an index of open jobs only: finished jobs stay in the table (for /health)
  // and, once the table is analyzed, the planner otherwise walks the primary key past every one of them (#19).
  (s) => `create index if not exists outbox_open on ${s}.outbox (id) where status in ('pending', 'processing');`,
];

/** Brings `schema` (a validated identifier) up to date; returns how many migrations ran. */
export async function migrate(pool: pg.Pool, schema: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    // Serialises concurrent starters (two fhir-api processes on one database).
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`codeblue-demo:${schema}`]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`create table if not exists ${schema}.schema_migrations (version integer primary key, applied_at timestamptz not null default now())`);
    const done = await client.query<{ version: number }>(`select version from ${schema}.schema_migrations`);
    const applied = new Set(done.rows.map((r) => r.version));
    let ran = 0;
    for (const [i, sql] of MIGRATIONS.entries()) {
      if (applied.has(i + 1)) continue;
      await client.query(sql(schema));
      await client.query(`insert into ${schema}.schema_migrations (version) values ($1)`, [i + 1]);
      ran += 1;
    }
    return ran;
  });
}
