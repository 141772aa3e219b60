/** @module demo/fhir-api: the fhir-api process body — HTTP server, pool, migrations, EHR adapter, outbox worker. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthFlags } from '../config/auth-flags.js';
import type { HostPort, ResilienceMode } from '../config/flags.js';
import { migrate } from '../db/migrations.js';
import { startTableUpkeep } from '../db/table-upkeep.js';
import { Outbox } from '../db/outbox.js';
import { createPool } from '../db/pool.js';
import { ResourceStore } from '../db/resource-store.js';
import { SlotBookings } from '../db/slot-bookings.js';
import type { ApiDeps } from './deps.js';
import { createEhrAdapter } from './ehr-adapter.js';
import { errorToReply } from './errors-to-reply.js';
import { createHealth } from './health.js';
import { sendFhir } from './http-io.js';
import { FhirError, operationOutcome } from './outcome.js';
import { startOutboxWorker, type OutboxWorker } from './outbox-worker.js';
import { ReadCache } from './read-cache.js';
import { PRESETS } from './resilience.js';
import { routeFhir } from './router.js';
import { createSmartAuthority, TOKEN_PATH } from '../smart-auth/authority.js';

/** Vacuum/analyze interval when the database runs no autovacuum worker (db/table-upkeep.ts). */
const UPKEEP_EVERY_MS = 15_000;

/** Options of fhir-api. */
export interface FhirApiOptions {
  /** HTTP listen address (port 0 = ephemeral). */
  readonly listen: HostPort;
  /** Credentials and database name; host/port are replaced by `dbLink` when given. */
  readonly databaseUrl: string;
  readonly dbLink?: HostPort;
  /** Where the EHR's MLLP port is reached (a fault proxy in a drill). */
  readonly ehrLink: HostPort;
  readonly schema: string;
  readonly mode: ResilienceMode;
  /** Outbox poll interval in ms; 0 disables the worker (tests tick it by hand). */
  readonly workerIntervalMs?: number;
  /** `--auth`: FHIR routes require SMART Backend Services bearer tokens; absent or disabled: open. */
  readonly auth?: AuthFlags;
}

/** A running fhir-api. */
export interface FhirApi {
  /** e.g. `http://127.0.0.1:8080` (the FHIR base is `${url}/fhir`). */
  readonly url: string;
  readonly deps: ApiDeps;
  readonly worker: OutboxWorker | null;
  /** Resolves once migrations have run. */
  readonly migrated: Promise<void>;
  /** With `--auth`: the registered client ids, token life and the synthetic client's key file. */
  readonly authInfo?: Readonly<Record<string, string | number>>;
  stop(): Promise<void>;
}

/** Starts fhir-api. It listens even when the database is not reachable yet; migrations retry in the background. */
export async function startFhirApi(o: FhirApiOptions): Promise<FhirApi> {
  const settings = PRESETS[o.mode];
  const authority = o.auth?.enabled ? await createSmartAuthority(o.auth) : undefined;
  const pool = createPool(o.databaseUrl, o.dbLink, settings.db);
  const ehr = createEhrAdapter(o.ehrLink, settings);
  const deps: ApiDeps = { pool, store: new ResourceStore(o.schema), outbox: new Outbox(o.schema), bookings: new SlotBookings(o.schema), ehr, settings, cache: settings.fallbacks ? new ReadCache() : null, smartAuth: authority !== undefined };
  let isMigrated = false;
  let stopped = false;
  const migrated = (async () => {
    for (let wait = 250; !stopped; wait = Math.min(wait * 2, 2000)) {
      try {
        await migrate(pool, o.schema);
        isMigrated = true;
        return;
      } catch (err) {
        process.stderr.write(`fhir-api: migrations waiting for the database: ${(err as Error).message}\n`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  })();
  const health = createHealth(deps, { url: o.databaseUrl, link: o.dbLink }, o.ehrLink, () => isMigrated);
  const server = http.createServer((req, res) => void handle(req, res));
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    try {
      if (parts[0] === 'health' && parts.length <= 2) {
        const h = await health();
        const readyPath = parts[1] === 'ready';
        sendFhir(res, readyPath && !h.ready ? 503 : 200, { ...h.body, ready: h.ready });
        return;
      }
      const origin = `http://${req.headers.host ?? `${o.listen.host}:${o.listen.port}`}`;
      if (authority && url.pathname === TOKEN_PATH) {
        await authority.handleToken(req, res, [origin, `http://${o.listen.host}:${port}`]);
        return;
      }
      if (parts[0] !== 'fhir') throw FhirError.of(404, 'not-found', `${url.pathname} is not here; the FHIR base is /fhir`);
      if (authority && parts[1] === '.well-known' && parts[2] === 'smart-configuration' && parts.length === 3) {
        sendFhir(res, 200, authority.smartConfiguration(origin), { 'content-type': 'application/json' });
        return;
      }
      const refusal = await authority?.check(req, parts.slice(1));
      if (refusal) {
        sendFhir(res, refusal.status, operationOutcome([{ severity: 'error', code: refusal.code, diagnostics: refusal.diagnostics }]), { ...refusal.headers });
        return;
      }
      if (!isMigrated) throw FhirError.of(503, 'transient', 'the database is not ready yet (migrations pending)');
      const base = `${origin}/fhir`;
      const work = routeFhir(deps, req, base, parts.slice(1), url.searchParams);
      const reply = settings.requestTimeoutMs === undefined ? await work : await withDeadline(work, settings.requestTimeoutMs);
      sendFhir(res, reply.status, reply.body, reply.headers);
    } catch (err) {
      const reply = errorToReply(err);
      sendFhir(res, reply.status, reply.body, reply.headers);
    }
  };
  let port = o.listen.port;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.listen.port, o.listen.host, () => resolve());
    });
  } catch (err) {
    authority?.stop();
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  const worker = (o.workerIntervalMs ?? 200) > 0 ? startOutboxWorker(deps, o.workerIntervalMs ?? 200) : null;
  const upkeep = startTableUpkeep(pool, o.schema, migrated, UPKEEP_EVERY_MS);
  return {
    url: `http://${o.listen.host}:${port}`,
    deps,
    worker,
    migrated,
    ...(authority ? { authInfo: authority.info } : {}),
    async stop() {
      stopped = true;
      authority?.stop();
      server.closeIdleConnections();
      const closed = new Promise<void>((r) => server.close(() => r()));
      setTimeout(() => server.closeAllConnections(), 1000).unref();
      // A fragile pool has no timeouts: a stalled link would hold these forever, so each gets 2 s.
      await atMost(2000, worker?.stop());
      await atMost(2000, upkeep.stop());
      await atMost(2000, closed);
      ehr.shutdown();
      await atMost(2000, pool.end().catch(() => undefined));
    },
  };
}

function atMost(ms: number, work: Promise<unknown> | undefined): Promise<unknown> {
  return Promise.race([work, new Promise((r) => setTimeout(r, ms).unref())]);
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(FhirError.of(503, 'timeout', `request exceeded the ${ms}ms budget of the hardened preset`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
