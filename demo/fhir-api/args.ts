/** @module demo/fhir-api: flags (and env) of the fhir-api process. */
import { parseArgs } from 'node:util';
import { AUTH_ARG_OPTIONS, parseAuthFlags } from '../config/auth-flags.js';
import { DemoUsageError, parseHostPort, parseMode, parseNumber, parseSchemaName, pick } from '../config/flags.js';
import type { FhirApiOptions } from './app.js';

/** Parses `--listen --database-url --db-link --ehr-link --schema --mode --worker-interval-ms` (env DEMO_FHIR_LISTEN, DATABASE_URL, DEMO_DB_LINK, DEMO_EHR_LINK, DEMO_SCHEMA, DEMO_MODE) and the `--auth` flags. */
export function parseFhirApiArgs(argv: readonly string[]): FhirApiOptions {
  let v: Record<string, string | boolean | string[] | undefined>;
  try {
    v = parseArgs({
      args: [...argv],
      options: { listen: { type: 'string' }, 'database-url': { type: 'string' }, 'db-link': { type: 'string' }, 'ehr-link': { type: 'string' }, schema: { type: 'string' }, mode: { type: 'string' }, 'worker-interval-ms': { type: 'string' }, ...AUTH_ARG_OPTIONS },
      strict: true,
    }).values;
  } catch (err) {
    throw new DemoUsageError((err as Error).message, 'flags: --listen host:port --database-url URL --db-link host:port --ehr-link host:port --schema NAME --mode hardened|fragile [--auth …]');
  }
  const s = (k: string): string | undefined => v[k] as string | undefined;
  const databaseUrl = pick(s('database-url'), 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new DemoUsageError(`--database-url must be a postgres:// URL, but is "${databaseUrl}"`, 'e.g. postgres://postgres@127.0.0.1:5432/postgres');
  const dbLink = pick(s('db-link'), 'DEMO_DB_LINK', '');
  return {
    listen: parseHostPort(pick(s('listen'), 'DEMO_FHIR_LISTEN', '127.0.0.1:8080'), '--listen'),
    databaseUrl,
    ...(dbLink ? { dbLink: parseHostPort(dbLink, '--db-link') } : {}),
    ehrLink: parseHostPort(pick(s('ehr-link'), 'DEMO_EHR_LINK', '127.0.0.1:7001'), '--ehr-link'),
    schema: parseSchemaName(pick(s('schema'), 'DEMO_SCHEMA', 'codeblue_demo')),
    mode: parseMode(pick(s('mode'), 'DEMO_MODE', 'hardened')),
    auth: parseAuthFlags(v),
    workerIntervalMs: parseNumber(pick(s('worker-interval-ms'), 'DEMO_WORKER_INTERVAL_MS', '200'), '--worker-interval-ms', 60_000),
  };
}
