/** @module demo: `npm run demo:stack` — starts the database, legacy-ehr and fhir-api, prints one ready line, stops on signals. */
import { DemoUsageError } from './config/flags.js';
import { migrate } from './db/migrations.js';
import { createPool } from './db/pool.js';
import { DemoDatabaseError } from './db/probe-postgres.js';
import { ChildStartError, startChildService, waitHealthy, type ChildService } from './stack/child-service.js';
import { launcherPids, watchLaunchers } from './stack/launcher-watch.js';
import { authArgs } from './config/auth-flags.js';
import { resolveDatabase, type StackDatabase } from './stack/stack-database.js';
import { parseStackOptions, STACK_USAGE, type StackOptions } from './stack/stack-options.js';

const log = (line: string): boolean => process.stderr.write(`demo stack: ${line}\n`);
const hp = (a: { host: string; port: number }): string => `${a.host}:${a.port}`;

/** Migrates over the direct address, so the schema exists even while the db link (a proxy) is down. */
async function migrateDirectly(url: string, schema: string): Promise<void> {
  const pool = createPool(url, undefined, { max: 1, connectionTimeoutMs: 10_000 });
  try {
    const ran = await migrate(pool, schema);
    if (ran > 0) log(`applied ${ran} migration(s) to schema ${schema}`);
  } catch (err) {
    throw new DemoDatabaseError(`migrating schema ${schema} failed: ${(err as Error).message}`, 'check DATABASE_URL points at a PostgreSQL server you may create schemas in');
  } finally {
    await pool.end().catch(() => undefined);
  }
}

async function start(o: StackOptions, children: ChildService[], setDb: (db: StackDatabase) => void): Promise<void> {
  const db = await resolveDatabase(o);
  setDb(db);
  log(`database: ${db.kind === 'embedded' ? 'embedded PGlite' : 'PostgreSQL'} at ${new URL(db.url).host}, schema ${o.schema}`);
  await migrateDirectly(db.url, o.schema);
  const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: o.otlp };
  const ehr = await startChildService('legacy-ehr', 'legacy-ehr/main.ts', ['--listen', hp(o.ehrListen), '--delay-ms', String(o.ehrDelayMs), '--jitter-ms', String(o.ehrJitterMs), '--malformed-rate', String(o.ehrMalformedRate), '--fhir-feed', `http://${o.feedLink ? hp(o.feedLink) : `127.0.0.1:${o.port}`}/fhir`, '--feed-mode', o.mode === 'hardened' ? 'outbox' : 'inline'], env);
  children.push(ehr);
  const api = await startChildService('fhir-api', 'fhir-api/main.ts', ['--listen', `127.0.0.1:${o.port}`, '--database-url', db.url, ...(o.dbLink ? ['--db-link', hp(o.dbLink)] : []), '--ehr-link', hp(o.ehrLink), '--schema', o.schema, '--mode', o.mode, ...authArgs(o.auth)], env);
  children.push(api);
  // Through a db link (a proxy that may not exist yet) only liveness is awaited; a direct link must be ready.
  await Promise.all([waitHealthy(String(ehr.info.health)), waitHealthy(`${String(api.info.url)}/health${o.dbLink ? '' : '/ready'}`)]);
  log(`${o.mode} · ehr mllp ${hp(o.ehrListen)} (fhir-api reaches it via ${hp(o.ehrLink)}) · db via ${o.dbLink ? hp(o.dbLink) : new URL(db.url).host}${o.feedLink ? ` · EHR feed via ${hp(o.feedLink)}` : ''} · otlp ${o.otlp}`);
  if (o.auth.enabled) {
    const key = api.info.clientKeyFile === undefined ? '' : ` · synthetic client key (PKCS#8, ${o.auth.clientAlg}) in ${String(api.info.clientKeyFile)}`;
    log(`auth: SMART Backend Services · token ${String(api.info.url)}/auth/token · tokens live ${o.auth.tokenLifeS}s · clients ${String(api.info.clients)}${key}`);
  }
  process.stdout.write(`demo stack ready: fhir ${String(api.info.fhir)}\n`);
}

async function main(): Promise<number> {
  let o: StackOptions | 'help';
  try {
    o = parseStackOptions(process.argv.slice(2));
  } catch (err) {
    const e = err as DemoUsageError;
    log(`${e.message}\n  hint: ${e.hint}`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(`${STACK_USAGE}\n`);
    return 0;
  }
  const children: ChildService[] = [];
  let db: StackDatabase | undefined;
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    stopping = true;
    // Reverse start order: the API stops before the EHR and the database it uses.
    for (const c of [...children].reverse()) await c.stop();
    await db?.stop().catch(() => undefined);
  };
  const signalled = new Promise<number>((resolve) => {
    // `on`, not `once`: a Ctrl-C reaches us twice (process group + tsx relaying it), and a second
    // unhandled SIGINT would kill the stack before its children are stopped.
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => resolve(0));
    watchLaunchers(launcherPids(), (pid) => {
      log(`launcher process ${pid} is gone; stopping`);
      resolve(0);
    });
  });
  try {
    const started = start(o, children, (d) => (db = d));
    const outcome = await Promise.race([started.then(() => 'started' as const), signalled.then(() => 'signal' as const)]);
    if (outcome === 'signal') {
      await started.catch(() => undefined);
      await stopAll();
      return 0;
    }
  } catch (err) {
    const e = err as Error & { hint?: string };
    log(`cannot start: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
    await stopAll();
    if (err instanceof ChildStartError && err.exitCode === 2) return 2;
    return err instanceof DemoDatabaseError || err instanceof ChildStartError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 3 : 1;
  }
  const crashed = Promise.race(children.map((c) => c.exited.then((code) => ({ name: c.name, code }))));
  const result = await Promise.race([signalled.then(() => null), crashed]);
  if (result && !stopping) log(`${result.name} exited unexpectedly (code ${String(result.code)}); stopping the stack`);
  await stopAll();
  return result ? 1 : 0;
}

// A launcher that went away may have closed our pipes; losing log lines must not crash the shutdown.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
process.exit(await main());
