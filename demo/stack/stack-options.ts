/** @module demo/stack: flags (and env) of `npm run demo:stack`. */
import { parseArgs } from 'node:util';
import { AUTH_ARG_OPTIONS, AUTH_USAGE, parseAuthFlags, type AuthFlags } from '../config/auth-flags.js';
import { DemoUsageError, parseHostPort, parseMode, parseNumber, parseSchemaName, pick, type HostPort, type ResilienceMode } from '../config/flags.js';

/** Everything the stack needs to start its processes. */
export interface StackOptions {
  readonly port: number;
  readonly ehrListen: HostPort;
  readonly ehrLink: HostPort;
  /** undefined: the database URL's own host:port. */
  readonly dbLink?: HostPort;
  /** Address the EHR's feed of admits uses to reach fhir-api; undefined: fhir-api's own port. */
  readonly feedLink?: HostPort;
  /** undefined: probe 127.0.0.1:5432 and fall back to embedded PGlite. */
  readonly databaseUrl?: string;
  readonly dbMode: 'auto' | 'real' | 'embedded';
  readonly mode: ResilienceMode;
  readonly schema: string;
  readonly otlp: string;
  readonly ehrDelayMs: number;
  readonly ehrJitterMs: number;
  readonly ehrMalformedRate: number;
  /** `--auth`: the FHIR API requires SMART Backend Services tokens. */
  readonly auth: AuthFlags;
}

/** Usage text for --help. */
export const STACK_USAGE = `usage: npm run demo:stack -- [options]
  --port N                 fhir-api port on 127.0.0.1 (env DEMO_PORT, default 8080)
  --ehr-listen host:port   legacy-ehr MLLP listen address (env DEMO_EHR_LISTEN, default 127.0.0.1:7001)
  --ehr-link host:port     address fhir-api uses to reach the EHR, e.g. a fault proxy (env DEMO_EHR_LINK, default = --ehr-listen)
  --db-link host:port      address fhir-api uses to reach PostgreSQL (env DEMO_DB_LINK, default = the database's own address)
  --feed-link host:port    address the EHR's feed of admits uses to reach fhir-api, e.g. a fault proxy (env DEMO_FEED_LINK, default = 127.0.0.1:--port)
  --database-url URL       PostgreSQL URL (env DATABASE_URL; default: 127.0.0.1:5432 if it answers, else embedded PGlite there)
  --db-mode auto|real|embedded  force the database choice (env DEMO_DB_MODE, default auto)
  --hardened | --fragile   resilience preset (env DEMO_MODE, default hardened)
  --schema NAME            PostgreSQL schema (env DEMO_SCHEMA, default codeblue_demo)
  --otlp URL               OTLP/HTTP endpoint (env OTEL_EXPORTER_OTLP_ENDPOINT, default http://127.0.0.1:4318)
  --ehr-delay-ms N --ehr-jitter-ms N --ehr-malformed-rate R   legacy EHR behaviour (defaults 40, 30, 0.01)
${AUTH_USAGE}`;

/** Parses the stack's flags; throws DemoUsageError on anything unknown or malformed. */
export function parseStackOptions(argv: readonly string[]): StackOptions | 'help' {
  let v: Record<string, string | boolean | string[] | undefined>;
  try {
    v = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' }, 'ehr-listen': { type: 'string' }, 'ehr-link': { type: 'string' }, 'db-link': { type: 'string' },
        'feed-link': { type: 'string' }, 'database-url': { type: 'string' }, 'db-mode': { type: 'string' }, hardened: { type: 'boolean' }, fragile: { type: 'boolean' },
        schema: { type: 'string' }, otlp: { type: 'string' }, 'ehr-delay-ms': { type: 'string' }, 'ehr-jitter-ms': { type: 'string' },
        'ehr-malformed-rate': { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...AUTH_ARG_OPTIONS,
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new DemoUsageError((err as Error).message, 'run npm run demo:stack -- --help for the flags');
  }
  if (v.help) return 'help';
  if (v.hardened && v.fragile) throw new DemoUsageError('--hardened and --fragile are mutually exclusive', 'pass one of them');
  const s = (k: string): string | undefined => v[k] as string | undefined;
  const ehrListen = parseHostPort(pick(s('ehr-listen'), 'DEMO_EHR_LISTEN', '127.0.0.1:7001'), '--ehr-listen');
  const ehrLink = pick(s('ehr-link'), 'DEMO_EHR_LINK', '');
  const dbLink = pick(s('db-link'), 'DEMO_DB_LINK', '');
  const feedLink = pick(s('feed-link'), 'DEMO_FEED_LINK', '');
  const databaseUrl = pick(s('database-url'), 'DATABASE_URL', '');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new DemoUsageError(`--database-url must be a postgres:// URL, but is "${databaseUrl}"`, 'e.g. postgres://postgres@127.0.0.1:5432/postgres');
  const dbMode = pick(s('db-mode'), 'DEMO_DB_MODE', 'auto');
  if (dbMode !== 'auto' && dbMode !== 'real' && dbMode !== 'embedded') throw new DemoUsageError(`--db-mode must be auto, real or embedded, but is "${dbMode}"`, 'e.g. --db-mode embedded');
  return {
    port: parseNumber(pick(s('port'), 'DEMO_PORT', '8080'), '--port', 65535, false, '8080'),
    ehrListen,
    ehrLink: ehrLink ? parseHostPort(ehrLink, '--ehr-link') : ehrListen,
    ...(dbLink ? { dbLink: parseHostPort(dbLink, '--db-link') } : {}),
    ...(feedLink ? { feedLink: parseHostPort(feedLink, '--feed-link') } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    dbMode,
    mode: v.fragile ? 'fragile' : v.hardened ? 'hardened' : parseMode(pick(undefined, 'DEMO_MODE', 'hardened')),
    schema: parseSchemaName(pick(s('schema'), 'DEMO_SCHEMA', 'codeblue_demo')),
    otlp: pick(s('otlp'), 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:4318'),
    ehrDelayMs: parseNumber(pick(s('ehr-delay-ms'), 'DEMO_EHR_DELAY_MS', '40'), '--ehr-delay-ms', 600_000),
    ehrJitterMs: parseNumber(pick(s('ehr-jitter-ms'), 'DEMO_EHR_JITTER_MS', '30'), '--ehr-jitter-ms', 600_000),
    ehrMalformedRate: parseNumber(pick(s('ehr-malformed-rate'), 'DEMO_EHR_MALFORMED_RATE', '0.01'), '--ehr-malformed-rate', 1, true),
    auth: parseAuthFlags(v),
  };
}
