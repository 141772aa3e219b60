/** @module demo/fhir-api: /health (200 while the process is up, dependencies in the body) and /health/ready. */
import net from 'node:net';
import pg from 'pg';
import type { HostPort } from '../config/flags.js';
import { connectionConfig } from '../db/pool.js';
import type { ApiDeps } from './deps.js';

/** One dependency's state. */
export interface DependencyHealth {
  readonly status: 'up' | 'down';
  readonly address: string;
  readonly latencyMs?: number;
  readonly error?: string;
}

const PROBE_TIMEOUT_MS = 800;

/** Connects afresh (never from the request pool, which may be exhausted by a fault) and runs `select 1`. */
async function probeDatabase(databaseUrl: string, link: HostPort | undefined): Promise<DependencyHealth> {
  const cfg = connectionConfig(databaseUrl, link);
  const address = `${cfg.host}:${cfg.port}`;
  const client = new pg.Client({ ...cfg, connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  const t0 = Date.now();
  try {
    await client.connect();
    await client.query('select 1');
    return { status: 'up', address, latencyMs: Date.now() - t0 };
  } catch (err) {
    return { status: 'down', address, error: (err as Error).message };
  } finally {
    void client.end().catch(() => undefined);
  }
}

/** TCP connect to the EHR link (no HL7 exchange, so health checks never reach the EHR's delay). */
function probeTcp(to: HostPort): Promise<DependencyHealth> {
  const address = `${to.host}:${to.port}`;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: to.host, port: to.port });
    const done = (h: DependencyHealth): void => {
      socket.destroy();
      resolve(h);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done({ status: 'down', address, error: `no connection within ${PROBE_TIMEOUT_MS}ms` }));
    socket.on('connect', () => done({ status: 'up', address, latencyMs: Date.now() - t0 }));
    socket.on('error', (err) => done({ status: 'down', address, error: err.message }));
  });
}

/** Builds the health reporter; results are cached for 1 s so frequent polling stays cheap. */
export function createHealth(deps: ApiDeps, db: { url: string; link?: HostPort }, ehrLink: HostPort, migrated: () => boolean) {
  let cached: { at: number; body: Record<string, unknown> } | undefined;
  const startedAt = Date.now();
  return async (): Promise<{ ready: boolean; body: Record<string, unknown> }> => {
    if (!cached || Date.now() - cached.at > 1000) {
      const [database, ehrTcp] = await Promise.all([probeDatabase(db.url, db.link), probeTcp(ehrLink)]);
      const outbox = database.status === 'up' && migrated() ? await deps.outbox.counts(deps.pool).catch(() => undefined) : undefined;
      cached = {
        at: Date.now(),
        body: {
          status: 'ok',
          service: 'fhir-api',
          mode: deps.settings.mode,
          uptimeMs: Date.now() - startedAt,
          dependencies: { database: { ...database, migrated: migrated() }, ehr: { ...ehrTcp, link: deps.ehr.status() } },
          pool: { total: deps.pool.totalCount, idle: deps.pool.idleCount, waiting: deps.pool.waitingCount, max: deps.settings.db.max },
          ...(outbox ? { outbox } : {}),
        },
      };
    }
    const { database } = cached.body.dependencies as { database: DependencyHealth & { migrated: boolean } };
    return { ready: database.status === 'up' && database.migrated, body: cached.body };
  };
}
