/**
 * @module scenarios/k6: `auth` → k6 code. `setup()` fetches every token once and hands it to the VUs; a VU
 * fetches its own when the token nears expiry (k6 VUs share no memory), and once more after a 401. Token requests carry the tag
 * `codeblue_auth`, which codeblue's ingest keeps out of the target's http_* metrics; their timings go to the
 * same `auth_token_duration` / `auth_token_failed` metrics as in the embedded engine. No secret is written
 * into the script: it names the environment variables (`-e NAME=…` or the shell's) and the key file.
 */
import { resolve } from 'node:path';
import type { AuthSpec } from '../auth/schema.js';
import { smartConfigurationUrl } from '../auth/discovery.js';
import type { ScenarioSpec } from '../schema.js';

/** What the compiler needs to know about auth: the target's, each scenario's override, and where key files are. */
export interface K6AuthInput {
  readonly baseUrl: string;
  readonly auth: AuthSpec | undefined;
  readonly scenarios: Readonly<Record<string, ScenarioSpec>>;
  /** Folder key files are relative to (the plan file's); undefined: left as written. */
  readonly planDir: string | undefined;
}

export interface K6Auth {
  /** Scenario name → the id of its auth (undefined: its requests carry none). */
  readonly idOf: ReadonlyMap<string, string>;
  /** Ids of the auths that fetch OAuth tokens: only their 401s are retried (a static header cannot be refreshed). */
  readonly refreshable: ReadonlySet<string>;
  /** Script lines (imports excluded), empty when no scenario uses auth. */
  readonly code: readonly string[];
}

const lit = (v: unknown): string => JSON.stringify(v);

export function compileK6Auth(input: K6AuthInput): K6Auth {
  const ids = new Map<string, string>();
  const configs: Record<string, Record<string, unknown>> = {};
  const keys: string[] = [];
  const byKey = new Map<string, string>();
  const refreshable = new Set<string>();
  for (const [name, spec] of Object.entries(input.scenarios)) {
    const auth = spec.auth ?? input.auth;
    if (auth === undefined || auth.type === 'none') continue;
    const json = JSON.stringify(auth);
    let id = byKey.get(json);
    if (id === undefined) {
      id = `auth${byKey.size}`;
      byKey.set(json, id);
      configs[id] = configOf(auth, input.baseUrl);
      if (auth.type !== 'static') refreshable.add(id);
      if (auth.type === 'smart-backend' && auth.keyFile !== undefined) {
        const path = input.planDir === undefined ? auth.keyFile : resolve(input.planDir, auth.keyFile);
        keys.push(`  ${id}: open(__ENV.CODEBLUE_${id.toUpperCase()}_KEY_FILE || ${lit(path)}),`);
      }
    }
    ids.set(name, id);
  }
  if (ids.size === 0) return { idOf: ids, refreshable, code: [] };
  return {
    idOf: ids, refreshable,
    code: [
      `/** The plan's auth (no secrets: environment variable names and key file paths only). */`,
      `const AUTH: Record<string, AuthConfig> = ${JSON.stringify(configs, null, 2)};`,
      `/** Private keys of smart-backend auths read from files, in the init context (set CODEBLUE_<ID>_KEY_FILE to move them). */`,
      `const AUTH_KEYS: Record<string, string> = {`, ...keys, `};`,
      K6_AUTH_HELPERS,
    ],
  };
}

function configOf(auth: Exclude<AuthSpec, { type: 'none' }>, baseUrl: string): Record<string, unknown> {
  switch (auth.type) {
    case 'static':
      return { type: 'static', header: auth.header, valueEnv: auth.valueEnv };
    case 'client-credentials':
    case 'smart-backend': {
      const where = auth.tokenUrl !== undefined ? { tokenUrl: auth.tokenUrl } : { discoveryUrl: smartConfigurationUrl(baseUrl, auth.fhirBase) };
      return auth.type === 'smart-backend'
        ? { type: auth.type, clientId: auth.clientId, scope: auth.scope, alg: auth.alg, ...where, ...(auth.kid === undefined ? {} : { kid: auth.kid }), ...(auth.keyEnv === undefined ? {} : { keyEnv: auth.keyEnv }) }
        : { type: auth.type, clientId: auth.clientId, ...where, ...(auth.scope === undefined ? {} : { scope: auth.scope }), secretEnv: auth.secretEnv, clientAuth: auth.clientAuth };
    }
  }
}

/** Names an auth script declares or imports, and the exec functions' `data` / `AUTHZ`: no exec function may take them. */
export function k6AuthNames(): string[] {
  const declared = [...K6_AUTH_HELPERS.matchAll(/\b(?:function|const|let|var|type|interface|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1] as string);
  return [...declared, 'AUTH', 'AUTH_KEYS', 'encoding', 'Counter', 'Rate', 'Trend', 'crypto', 'AUTHZ', 'data'];
}

/** The k6-side runtime of auth; it mirrors scenarios/auth (same form fields, assertion claims, 80 % refresh point, one retry after a 401). */
const K6_AUTH_HELPERS = String.raw`
/** k6's console and WebCrypto (globals since k6 1.0); @types/k6 declares neither. */
declare const console: { error(...args: unknown[]): void };
declare const crypto: { subtle: { importKey(format: string, key: unknown, algorithm: unknown, extractable: boolean, usages: string[]): Promise<unknown>; sign(algorithm: unknown, key: unknown, data: ArrayBuffer): Promise<ArrayBuffer> } };

interface AuthConfig {
  type: string; header?: string; valueEnv?: string; clientId?: string; scope?: string; alg?: string; kid?: string; keyEnv?: string;
  tokenUrl?: string; discoveryUrl?: string; secretEnv?: string; clientAuth?: string;
}
interface HeldToken { name: string; value: string; refreshAt: number }
type AuthData = { tokens: Record<string, HeldToken> } | undefined;

const AUTH_TOKEN_DURATION = new Trend('auth_token_duration', true);
const AUTH_TOKEN_FAILED = new Rate('auth_token_failed');
/** Requests sent again with a fresh token after a 401, as codeblue's engine counts them. */
const AUTH_RETRIES = new Counter('auth_retries');
/** codeblue's ingest keeps requests with this tag out of http_reqs: token fetches are not target requests. */
const AUTH_TAGS = { name: 'auth_token', codeblue_auth: '1' };
const NEVER = Number.MAX_SAFE_INTEGER;
/** An assertion lives 300 s; the spare one is signed again after 240 s so it is never stale when used. */
const SPARE_MAX_AGE_MS = 240000;
const heldTokens: Record<string, HeldToken> = {};
const spareAssertions: Record<string, { jwt: string; signedAt: number }> = {};
const tokenUrls: Record<string, string> = {};

function utf8(text: string): ArrayBuffer {
  return encoding.b64decode(encoding.b64encode(text, 'rawurl'), 'rawurl');
}

function tokenUrlOf(id: string, a: AuthConfig): string {
  if (a.tokenUrl) return a.tokenUrl;
  if (tokenUrls[id]) return tokenUrls[id];
  const res = http.get(a.discoveryUrl as string, { tags: AUTH_TAGS });
  const doc = res.status === 200 ? (res.json() as { token_endpoint?: string }) : {};
  const found = doc.token_endpoint || '';
  if (found) tokenUrls[id] = found;
  return found;
}

/** A SMART Backend Services client assertion (RS384/ES384), signed with WebCrypto. */
async function signAssertion(id: string, a: AuthConfig, tokenUrl: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header: Record<string, string> = { alg: a.alg as string, typ: 'JWT' };
  if (a.kid) header.kid = a.kid;
  const claims = { iss: a.clientId, sub: a.clientId, aud: tokenUrl, jti: hex(32), iat: now, exp: now + 300 };
  const input = encoding.b64encode(JSON.stringify(header), 'rawurl') + '.' + encoding.b64encode(JSON.stringify(claims), 'rawurl');
  const text = a.keyEnv ? __ENV[a.keyEnv] || '' : AUTH_KEYS[id] || '';
  const rsa = a.alg === 'RS384';
  const algorithm = rsa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' } : { name: 'ECDSA', namedCurve: 'P-384' };
  const key = text.trim().charAt(0) === '{'
    ? await crypto.subtle.importKey('jwk', JSON.parse(text), algorithm, false, ['sign'])
    : await crypto.subtle.importKey('pkcs8', encoding.b64decode(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'std'), algorithm, false, ['sign']);
  const signature = await crypto.subtle.sign(rsa ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-384' }, key, utf8(input));
  return input + '.' + encoding.b64encode(signature, 'rawurl');
}

/** One token request (synchronous, as k6's http is); a smart-backend auth brings its signed assertion. */
function requestToken(id: string, assertion?: string): HeldToken | undefined {
  const a = AUTH[id] as AuthConfig;
  if (a.type === 'static') return { name: a.header as string, value: __ENV[a.valueEnv as string] || '', refreshAt: NEVER };
  const tokenUrl = tokenUrlOf(id, a);
  if (!tokenUrl || (a.type === 'smart-backend' && !assertion)) {
    AUTH_TOKEN_FAILED.add(true);
    console.error('codeblue auth ' + id + ': no token endpoint (discovery at ' + a.discoveryUrl + ' failed); set tokenUrl in the plan');
    return undefined;
  }
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (a.scope) form.scope = a.scope;
  const headers: Record<string, string> = {};
  const secret = a.secretEnv ? __ENV[a.secretEnv] || '' : '';
  if (a.type === 'smart-backend') {
    form.client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    form.client_assertion = assertion as string;
  } else if (a.clientAuth === 'post') {
    form.client_id = a.clientId as string;
    form.client_secret = secret;
  } else headers.authorization = 'Basic ' + encoding.b64encode(encodeURIComponent(a.clientId as string) + ':' + encodeURIComponent(secret), 'std');
  const started = Date.now();
  const res = http.post(tokenUrl, form, { headers, tags: AUTH_TAGS, responseCallback: http.expectedStatuses(200) });
  AUTH_TOKEN_DURATION.add(Date.now() - started);
  let body: { access_token?: unknown; expires_in?: unknown } = {};
  try {
    if (res.status === 200) body = res.json() as typeof body;
  } catch (e) {
    body = {};
  }
  const ok = typeof body.access_token === 'string';
  AUTH_TOKEN_FAILED.add(!ok);
  if (!ok) {
    console.error('codeblue auth ' + id + ': token endpoint ' + tokenUrl + ' answered ' + res.status);
    return undefined;
  }
  const life = typeof body.expires_in === 'number' ? body.expires_in * 1000 : NEVER;
  return { name: 'authorization', value: 'Bearer ' + String(body.access_token), refreshAt: life === NEVER ? NEVER : started + life * 0.8 };
}

async function fetchToken(id: string): Promise<HeldToken | undefined> {
  const a = AUTH[id] as AuthConfig;
  if (a.type !== 'smart-backend') return requestToken(id);
  const tokenUrl = tokenUrlOf(id, a);
  return requestToken(id, tokenUrl ? await signAssertion(id, a, tokenUrl) : undefined);
}

/** Keeps one signed assertion in reserve: a 401 inside a (synchronous) group can then get a fresh token at once. */
async function keepSpareAssertion(id: string): Promise<void> {
  const a = AUTH[id] as AuthConfig;
  const spare = spareAssertions[id];
  if (a.type !== 'smart-backend' || (spare && Date.now() - spare.signedAt < SPARE_MAX_AGE_MS)) return;
  const tokenUrl = tokenUrlOf(id, a);
  if (tokenUrl) spareAssertions[id] = { jwt: await signAssertion(id, a, tokenUrl), signedAt: Date.now() };
}

/** Fetches every token once before the scenarios start; VUs receive them as setup data. */
export async function setup(): Promise<AuthData> {
  const tokens: Record<string, HeldToken> = {};
  for (const id of Object.keys(AUTH)) {
    const t = await fetchToken(id);
    if (t) tokens[id] = t;
  }
  return { tokens };
}

function headersOf(held: HeldToken | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (held) out[held.name] = held.value;
  return out;
}

/** The auth header for this iteration: the setup token, or this VU's fresh one once 80 % of its life has passed. */
async function authHeaders(id: string, data: AuthData): Promise<Record<string, string>> {
  let held = heldTokens[id] || (data ? data.tokens[id] : undefined);
  if (held === undefined || Date.now() >= held.refreshAt) {
    const fresh = await fetchToken(id);
    if (fresh) heldTokens[id] = held = fresh;
  }
  await keepSpareAssertion(id);
  return headersOf(held);
}

/**
 * After a 401: drops the refused token and fetches a fresh one at once, as codeblue's engine does. Undefined when
 * none can be had, or it is the refused one (a static header cannot be refreshed).
 */
function reauthorize(id: string, refused: Record<string, string>): Record<string, string> | undefined {
  delete heldTokens[id];
  const a = AUTH[id] as AuthConfig;
  if (a.type === 'static') return undefined;
  let fresh: HeldToken | undefined;
  if (a.type === 'smart-backend') {
    const spare = spareAssertions[id];
    delete spareAssertions[id];
    fresh = requestToken(id, spare && Date.now() - spare.signedAt < 290000 ? spare.jwt : undefined);
  } else fresh = requestToken(id);
  if (fresh === undefined || refused[fresh.name] === fresh.value) return undefined;
  heldTokens[id] = fresh;
  AUTH_RETRIES.add(1);
  return headersOf(fresh);
}
`;
