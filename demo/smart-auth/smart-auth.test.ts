/**
 * @module demo/smart-auth: the FHIR API with `--auth` on real sockets and real PostgreSQL — discovery, the token
 * endpoint (RS384/ES384 `private_key_jwt` assertions signed here with jose, as any client would), and the bearer guard.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthFlags, type AuthFlags } from '../config/auth-flags.js';
import { DemoUsageError } from '../config/flags.js';
import { startTestApi, type TestApi } from '../testing/start-test-api.js';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';

const schema = `cb_auth_${process.pid}_${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), 'cb-demo-auth-'));
const keyOut = join(dir, 'keys', 'client.pem');
let partner: { privateKey: CryptoKey };
let api: TestApi;
let shortLived: TestApi;

const flags = (over: Partial<AuthFlags>): AuthFlags => ({ enabled: true, tokenLifeS: 300, clients: [], clientAlg: 'RS384', ...over });

beforeAll(async () => {
  const pair = await generateKeyPair('ES384', { extractable: true });
  partner = pair;
  writeFileSync(join(dir, 'partner.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'p1', alg: 'ES384' }] }));
  api = await startTestApi(TEST_DATABASE_URL, schema, 'hardened', flags({ clientKeyOut: keyOut, clients: [{ id: 'partner', jwksFile: join(dir, 'partner.jwks.json') }] }));
  shortLived = await startTestApi(TEST_DATABASE_URL, schema, 'hardened', flags({ tokenLifeS: 1, clients: [{ id: 'partner', jwksFile: join(dir, 'partner.jwks.json') }] }));
}, 60_000);

afterAll(async () => {
  await shortLived?.stop();
  await api?.stop();
  await dropSchema(schema).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A SMART Backend Services client assertion. */
async function assertion(key: CryptoKey, o: { iss: string; aud: string; alg: 'RS384' | 'ES384'; jti?: string; expIn?: number }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({}).setProtectedHeader({ alg: o.alg, typ: 'JWT' }).setIssuer(o.iss).setSubject(o.iss).setAudience(o.aud)
    .setJti(o.jti ?? randomUUID()).setIssuedAt(now).setExpirationTime(now + (o.expIn ?? 240)).sign(key);
}

async function requestToken(base: string, clientAssertion: string, scope = 'system/*.read'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: clientAssertion }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const syntheticKey = async (): Promise<CryptoKey> => importPKCS8(readFileSync(keyOut, 'utf8'), 'RS384');
const get = (url: string, token?: string): Promise<Response> => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('the demo FHIR API with --auth', { timeout: 30_000 }, () => {
  it('keeps health, the CapabilityStatement and SMART discovery open, and names the token endpoint in both', async () => {
    const base = api.api.url;
    expect((await get(`${base}/health`)).status).toBe(200);
    const meta = (await (await get(`${base}/fhir/metadata`)).json()) as { rest: { security: { extension: { extension: { valueUri: string }[] }[] } }[] };
    expect(meta.rest[0]?.security.extension[0]?.extension[0]?.valueUri).toBe(`${base}/auth/token`);
    const config = (await (await get(`${base}/fhir/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ token_endpoint: `${base}/auth/token`, token_endpoint_auth_methods_supported: ['private_key_jwt'], token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'], grant_types_supported: ['client_credentials'] });
  });

  it('refuses a FHIR request without a token with 401 and a bare Bearer challenge, and one with a forged token with invalid_token', async () => {
    const none = await get(`${api.api.url}/fhir/Patient`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="codeblue-demo"');
    expect(((await none.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const forged = await new SignJWT({ scope: 'system/*.*' }).setProtectedHeader({ alg: 'ES384', typ: 'at+jwt' }).setIssuer('urn:codeblue:demo:smart-auth').setAudience('urn:codeblue:demo:fhir-api').setExpirationTime('5m').sign(partner.privateKey);
    for (const token of [forged, 'not-a-jwt']) {
      const res = await get(`${api.api.url}/fhir/Patient`, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="codeblue-demo", error="invalid_token"/);
    }
  });

  it('writes the synthetic client key owner-only, issues a token for its RS384 assertion, and serves FHIR reads with it', async () => {
    expect(statSync(keyOut).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'keys', '.gitignore'), 'utf8')).toBe('*\n');
    const base = api.api.url;
    const t = await requestToken(base, await assertion(await syntheticKey(), { iss: 'codeblue-demo', aud: `${base}/auth/token`, alg: 'RS384' }));
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: 'system/*.read' });
    const res = await get(`${base}/fhir/Patient?_count=1`, String(t.body.access_token));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('Bundle');
  });

  it('accepts an ES384 client registered by its public JWKS, and enforces its scopes (403 insufficient_scope on a write with a read token)', async () => {
    const base = api.api.url;
    const read = await requestToken(base, await assertion(partner.privateKey, { iss: 'partner', aud: `${base}/auth/token`, alg: 'ES384' }), 'system/Patient.read openid');
    expect(read.body.scope).toBe('system/Patient.read');
    const write = await fetch(`${base}/fhir/Patient`, { method: 'POST', headers: { authorization: `Bearer ${String(read.body.access_token)}`, 'content-type': 'application/fhir+json' }, body: '{"resourceType":"Patient"}' });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="system\/Patient\.c"/);
    expect((await get(`${base}/fhir/Patient?_count=1`, String(read.body.access_token))).status).toBe(200);
    expect((await get(`${base}/fhir/Observation?_count=1`, String(read.body.access_token))).status).toBe(403);
  });

  it('refuses assertions that are replayed, aimed elsewhere, signed by an unregistered key or too long-lived, with 400 invalid_client', async () => {
    const base = api.api.url;
    const key = await syntheticKey();
    const once = await assertion(key, { iss: 'codeblue-demo', aud: `${base}/auth/token`, alg: 'RS384' });
    expect((await requestToken(base, once)).status).toBe(200);
    const cases = [
      once,
      await assertion(key, { iss: 'codeblue-demo', aud: 'http://127.0.0.1:1/token', alg: 'RS384' }),
      await assertion(partner.privateKey, { iss: 'codeblue-demo', aud: `${base}/auth/token`, alg: 'ES384' }),
      await assertion(key, { iss: 'codeblue-demo', aud: `${base}/auth/token`, alg: 'RS384', expIn: 3600 }),
      await assertion(key, { iss: 'nobody', aud: `${base}/auth/token`, alg: 'RS384' }),
    ];
    for (const a of cases) {
      const r = await requestToken(base, a);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_client');
      expect(JSON.stringify(r.body)).not.toContain(a);
    }
    expect((await requestToken(base, await assertion(key, { iss: 'codeblue-demo', aud: `${base}/auth/token`, alg: 'RS384' }), 'patient/*.read')).body.error).toBe('invalid_scope');
  });

  it('refuses a token once it expired (1 s life) with 401 invalid_token "expired"', async () => {
    const base = shortLived.api.url;
    const t = await requestToken(base, await assertion(partner.privateKey, { iss: 'partner', aud: `${base}/auth/token`, alg: 'ES384' }));
    expect(t.body.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 2_200));
    const res = await get(`${base}/fhir/Patient`, String(t.body.access_token));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="the access token expired"');
  });
});

describe('the --auth flags', () => {
  const parse = (v: Record<string, string | boolean | string[]>): AuthFlags => parseAuthFlags(v, dir);
  it('need a client, need --auth, refuse a bad algorithm, and resolve paths against the working directory', () => {
    expect(() => parse({ auth: true })).toThrow(DemoUsageError);
    expect(() => parse({ 'auth-client-key-out': 'k.pem' })).toThrow(/needs --auth/);
    expect(() => parse({ auth: true, 'auth-client-key-out': 'k.pem', 'auth-client-alg': 'HS256' })).toThrow(/RS384 or ES384/);
    expect(() => parse({ auth: true, 'auth-client': ['bad'] })).toThrow(/ID=JWKS_FILE/);
    expect(parse({ auth: true, 'auth-client-key-out': 'k.pem', 'auth-token-life-s': '20' })).toEqual({ enabled: true, tokenLifeS: 20, clients: [], clientKeyOut: join(dir, 'k.pem'), clientAlg: 'RS384' });
  });

  it('refuse a client JWKS that holds a private key', async () => {
    const pair = await generateKeyPair('ES384', { extractable: true });
    writeFileSync(join(dir, 'private.jwks.json'), JSON.stringify({ keys: [await exportJWK(pair.privateKey)] }));
    await expect(startTestApi(TEST_DATABASE_URL, schema, 'hardened', flags({ clients: [{ id: 'x', jwksFile: join(dir, 'private.jwks.json') }] }))).rejects.toThrow(/holds a private key/);
  });
});

describe('stopping the API', () => {
  it('removes the synthetic key file and the folder made for it', { timeout: 30_000 }, async () => {
    const out = join(dir, 'gone', 'client.pem');
    const t = await startTestApi(TEST_DATABASE_URL, schema, 'hardened', flags({ clientKeyOut: out }));
    expect(existsSync(out)).toBe(true);
    await t.stop();
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });
});
