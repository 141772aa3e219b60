/** @module demo/db: the pg pool of fhir-api — connection details from DATABASE_URL, address from the db link. */
import pg from 'pg';
import type { HostPort } from '../config/flags.js';

/** Pool limits; undefined timeouts mean wait forever (the fragile preset). */
export interface PoolLimits {
  readonly max: number;
  readonly connectionTimeoutMs?: number;
  readonly queryTimeoutMs?: number;
}

/** pg connection settings from a URL, with host/port replaced by `link` (a fault proxy) when given. */
export function connectionConfig(databaseUrl: string, link?: HostPort): pg.ClientConfig {
  const url = new URL(databaseUrl);
  return {
    host: link?.host ?? (url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1'),
    port: link?.port ?? (Number(url.port) || 5432),
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
  };
}

/** Creates the pool. Idle-client errors (a proxy cut mid-drill) are logged, never fatal. */
export function createPool(databaseUrl: string, link: HostPort | undefined, limits: PoolLimits): pg.Pool {
  const pool = new pg.Pool({
    ...connectionConfig(databaseUrl, link),
    max: limits.max,
    connectionTimeoutMillis: limits.connectionTimeoutMs ?? 0,
    query_timeout: limits.queryTimeoutMs,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
  });
  pool.on('error', (err) => process.stderr.write(`fhir-api: idle database connection failed: ${err.message}\n`));
  return pool;
}
