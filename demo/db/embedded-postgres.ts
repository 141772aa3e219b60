/** @module demo/db: embedded PostgreSQL — PGlite in memory, served over TCP by pglite-socket. */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { HostPort } from '../config/flags.js';

/** A running embedded database. */
export interface EmbeddedPostgres {
  readonly address: HostPort;
  /** `postgres://postgres@host:port/postgres` */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite and serves it on `listen` (port 0 = ephemeral). PGlite is single-session;
 * pglite-socket multiplexes up to `maxConnections` clients and serialises their transactions,
 * so it must exceed every pool's `max` that connects (plus health probes).
 */
export async function startEmbeddedPostgres(listen: HostPort, maxConnections = 64): Promise<EmbeddedPostgres> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: listen.host, port: listen.port, maxConnections });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  const address = { host: listen.host, port };
  return {
    address,
    url: `postgres://postgres@${listen.host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
