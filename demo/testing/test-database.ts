/** @module demo/testing: the real PostgreSQL the tests use, and dropping a test's schema afterwards. */
import pg from 'pg';

/** 127.0.0.1:5432, user postgres, database test (override with TEST_DATABASE_URL). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Drops `schema` and everything in it. */
export async function dropSchema(schema: string, url: string = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
