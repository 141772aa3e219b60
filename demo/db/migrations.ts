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
