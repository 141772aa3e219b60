/** @module demo/config: the `--auth` flags shared by the stack and fhir-api — SMART Backend Services on the FHIR API. */
import { resolve } from 'node:path';
import { DemoUsageError, parseNumber, pick } from './flags.js';

/** A client registered by its public keys: `--auth-client ID=JWKS_FILE`. */
interface RegisteredClientFlag {
  readonly id: string;
  /** Absolute path of a JSON Web Key Set holding public keys only. */
  readonly jwksFile: string;
}

/** How the FHIR API authorizes requests; `enabled: false` leaves it open (the default). */
export interface AuthFlags {
  readonly enabled: boolean;
  /** Life of the access tokens the token endpoint issues, seconds. */
  readonly tokenLifeS: number;
  readonly clients: readonly RegisteredClientFlag[];
  /** Where to write the private key of a synthetic client generated at start (absolute); undefined: none. */
  readonly clientKeyOut?: string;
  /** Algorithm of that synthetic client's key. */
  readonly clientAlg: 'RS384' | 'ES384';
}

/** `parseArgs` options of the auth flags. */
export const AUTH_ARG_OPTIONS = {
  auth: { type: 'boolean' },
  'auth-token-life-s': { type: 'string' },
  'auth-client': { type: 'string', multiple: true },
  'auth-client-key-out': { type: 'string' },
  'auth-client-alg': { type: 'string' },
} as const;

/** Usage lines of the auth flags. */
export const AUTH_USAGE = `  --auth                   FHIR routes require a SMART Backend Services bearer token (env DEMO_AUTH=1); /health,
                           /fhir/metadata and /fhir/.well-known/smart-configuration stay open; token endpoint /auth/token
  --auth-token-life-s N    life of issued access tokens in seconds (env DEMO_AUTH_TOKEN_LIFE_S, default 300)
  --auth-client ID=FILE    register a client by its public JWKS (JSON), RS384/ES384 (repeatable)
  --auth-client-key-out F  generate a synthetic client "codeblue-demo" at start and write its private key (PKCS#8 PEM) to F;
                           the file is removed when the stack stops (env DEMO_AUTH_CLIENT_KEY_OUT)
  --auth-client-alg A      RS384 or ES384 for that synthetic key (env DEMO_AUTH_CLIENT_ALG, default RS384)`;

/** Id of the synthetic client `--auth-client-key-out` registers. */
export const SYNTHETIC_CLIENT_ID = 'codeblue-demo';

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** Reads the auth flags (and env) from `parseArgs` values; relative paths are resolved against `cwd`. */
export function parseAuthFlags(v: Values, cwd: string = process.cwd()): AuthFlags {
  const enabled = v.auth === true || /^(1|true|yes)$/i.test(process.env.DEMO_AUTH ?? '');
  const lifeText = pick(v['auth-token-life-s'] as string | undefined, 'DEMO_AUTH_TOKEN_LIFE_S', '300');
  const keyOut = pick(v['auth-client-key-out'] as string | undefined, 'DEMO_AUTH_CLIENT_KEY_OUT', '');
  const alg = pick(v['auth-client-alg'] as string | undefined, 'DEMO_AUTH_CLIENT_ALG', 'RS384');
  const clientTexts = (v['auth-client'] as string[] | undefined) ?? [];
  const used = ['auth-token-life-s', 'auth-client', 'auth-client-key-out', 'auth-client-alg'].filter((k) => v[k] !== undefined);
  if (!enabled && used.length > 0) throw new DemoUsageError(`--${used[0] ?? ''} needs --auth`, 'add --auth to make the FHIR API require tokens');
  if (alg !== 'RS384' && alg !== 'ES384') throw new DemoUsageError(`--auth-client-alg must be RS384 or ES384, but is "${alg}"`, 'SMART Backend Services clients sign with RS384 or ES384');
  const tokenLifeS = parseNumber(lifeText, '--auth-token-life-s', 86_400, false, '60');
  if (tokenLifeS < 1) throw new DemoUsageError('--auth-token-life-s must be at least 1', 'e.g. --auth-token-life-s 20 (short, so a drill sees refreshes)');
  const clients = clientTexts.map((text) => parseClient(text, cwd));
  const ids = new Set<string>();
  for (const c of [...clients, ...(keyOut ? [{ id: SYNTHETIC_CLIENT_ID }] : [])]) {
    if (ids.has(c.id)) throw new DemoUsageError(`client "${c.id}" is registered twice`, 'give each --auth-client its own id (codeblue-demo is the synthetic one)');
    ids.add(c.id);
  }
  if (enabled && clients.length === 0 && !keyOut) {
    throw new DemoUsageError('--auth needs at least one client', 'pass --auth-client-key-out FILE (a synthetic client) or --auth-client ID=JWKS_FILE (your own public keys)');
  }
  return { enabled, tokenLifeS, clients, ...(keyOut ? { clientKeyOut: resolve(cwd, keyOut) } : {}), clientAlg: alg };
}

function parseClient(text: string, cwd: string): RegisteredClientFlag {
  const m = /^([A-Za-z0-9._-]{1,64})=(.+)$/.exec(text);
  if (!m) throw new DemoUsageError(`--auth-client must be ID=JWKS_FILE, but is "${text}"`, 'e.g. --auth-client my-client=keys/my-client.jwks.json');
  return { id: m[1] as string, jwksFile: resolve(cwd, m[2] as string) };
}

/** The flags that pass `a` on to the fhir-api process (paths already absolute). */
export function authArgs(a: AuthFlags): string[] {
  if (!a.enabled) return [];
  return [
    '--auth', '--auth-token-life-s', String(a.tokenLifeS), '--auth-client-alg', a.clientAlg,
    ...a.clients.flatMap((c) => ['--auth-client', `${c.id}=${c.jwksFile}`]),
    ...(a.clientKeyOut ? ['--auth-client-key-out', a.clientKeyOut] : []),
  ];
}
