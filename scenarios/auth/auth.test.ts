import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeblueError } from '../../core/errors.js';
import { runLoad } from '../engine/run-load.js';
import { scenarioSchema, type ScenarioSpec } from '../schema.js';
import { authSchema, type AuthSpec } from './schema.js';
import { SECRET_CLIENT, startOAuthStack, type OAuthStack } from './testing/oauth-stack.js';

const SAFETY = { maxDuration: 120_000, maxRequests: 100_000, maxVUs: 20 };
const spec = (raw: unknown): ScenarioSpec => scenarioSchema.parse(raw);
const auth = (raw: unknown): AuthSpec => authSchema.parse(raw);
const read = (think = '200ms'): ScenarioSpec['steps'] => [{ name: 'search', request: { method: 'GET', path: '/fhir/Patient', timeout: 10_000 }, check: { status: 200 }, think: parseMs(think) }] as unknown as ScenarioSpec['steps'];
const parseMs = (t: string): number => Number(t.replace('ms', ''));

let stack: OAuthStack;
let dir: string;
beforeAll(async () => {
  stack = await startOAuthStack({ tokenLifeS: 10 });
  dir = await mkdtemp(join(tmpdir(), 'codeblue-auth-'));
  await writeFile(join(dir, 'client.pem'), stack.privateKeyPem);
  await writeFile(join(dir, 'garbage.pem'), '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
});
afterAll(async () => {
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SMART backend auth against a real oidc-provider', () => {
  it('keeps a run of several 10 s token lives authorized: refreshed ahead of expiry, no 401 counted, fetches in their own series', { timeout: 90_000 }, async () => {
    const before = stack.acceptedTokens.size;
    const result = await runLoad({
      baseUrl: stack.fhirBaseUrl, planDir: dir, safety: SAFETY,
      auth: auth({ type: 'smart-backend', clientId: stack.clientId, tokenUrl: stack.tokenUrl, keyFile: 'client.pem', kid: 'cb-client-1' }),
      scenarios: { reads: spec({ executor: 'constant-vus', vus: 3, duration: '32s', steps: read() }) },
    });
    const store = result.store;
    expect(store.query({ metric: 'http_reqs' }).count).toBeGreaterThan(50);
    expect(store.query({ metric: 'http_reqs', tags: { status: '401' } }).count).toBe(0);
    expect(store.query({ metric: 'http_req_failed' }).rate).toBe(0);
    expect(store.query({ metric: 'checks' }).rate).toBe(1);
    // 32 s of 10 s tokens: the first and at least three refreshes, each fetch once for all three VUs.
    const fetches = store.query({ metric: 'auth_token_duration' }).count;
    expect(fetches).toBeGreaterThanOrEqual(4);
    expect(fetches).toBeLessThan(20);
    expect(store.query({ metric: 'auth_token_failed' }).rate).toBe(0);
    expect(stack.acceptedTokens.size - before).toBe(fetches);
    expect(result.errors).toEqual([]);
    // Token fetches are not target requests.
    expect(result.requests).toBe(store.query({ metric: 'http_reqs' }).count);
  });

  it('finds the token endpoint through .well-known/smart-configuration and signs with a JWK from the environment', { timeout: 30_000 }, async () => {
    process.env.CB_TEST_SMART_JWK = JSON.stringify(stack.privateJwk);
    try {
      const result = await runLoad({
        baseUrl: stack.fhirBaseUrl, safety: SAFETY,
        auth: auth({ type: 'smart-backend', clientId: stack.clientId, fhirBase: '/fhir', keyEnv: 'CB_TEST_SMART_JWK' }),
        scenarios: { reads: spec({ executor: 'shared-iterations', vus: 2, iterations: 6, steps: read('0ms') }) },
      });
      expect(result.store.query({ metric: 'http_reqs', tags: { status: '200' } }).count).toBe(6);
      expect(result.store.query({ metric: 'auth_token_duration' }).count).toBe(1);
    } finally {
      delete process.env.CB_TEST_SMART_JWK;
    }
  });

  it('gets a token with a client secret, and a scenario can opt out of the target auth', { timeout: 30_000 }, async () => {
    process.env.CB_TEST_CLIENT_SECRET = SECRET_CLIENT.secret;
    try {
      const result = await runLoad({
        baseUrl: stack.fhirBaseUrl, safety: SAFETY,
        auth: auth({ type: 'client-credentials', clientId: SECRET_CLIENT.id, tokenUrl: stack.tokenUrl, scope: 'system/*.read', secretEnv: 'CB_TEST_CLIENT_SECRET' }),
        scenarios: {
          authed: spec({ executor: 'shared-iterations', vus: 1, iterations: 3, steps: read('0ms') }),
          anonymous: spec({ executor: 'shared-iterations', vus: 1, iterations: 2, steps: read('0ms'), auth: { type: 'none' } }),
        },
      });
      expect(result.store.query({ metric: 'http_reqs', tags: { scenario: 'authed', status: '200' } }).count).toBe(3);
      expect(result.store.query({ metric: 'http_reqs', tags: { scenario: 'anonymous', status: '401' } }).count).toBe(2);
    } finally {
      delete process.env.CB_TEST_CLIENT_SECRET;
    }
  });

  it('fetches a fresh token once after a 401 and sends the request again; the refused attempt is no target sample', { timeout: 30_000 }, async () => {
    stack.refuseNext.count = 1;
    const refusedBefore = stack.refused.count;
    const result = await runLoad({
      baseUrl: stack.fhirBaseUrl, planDir: dir, safety: SAFETY,
      auth: auth({ type: 'smart-backend', clientId: stack.clientId, tokenUrl: stack.tokenUrl, keyFile: 'client.pem' }),
      scenarios: { reads: spec({ executor: 'shared-iterations', vus: 1, iterations: 3, steps: read('0ms') }) },
    });
    expect(stack.refused.count - refusedBefore).toBe(1);
    expect(result.store.query({ metric: 'http_reqs', tags: { status: '200' } }).count).toBe(3);
    expect(result.store.query({ metric: 'http_reqs', tags: { status: '401' } }).count).toBe(0);
    expect(result.store.query({ metric: 'auth_retries' }).count).toBe(1);
    expect(result.store.query({ metric: 'auth_token_duration' }).count).toBe(2);
    // The retry is a request to the target: it is taken from safety.maxRequests.
    expect(result.requests).toBe(4);
  });

  it('sends a static header as it is, and a 401 on it stays a target failure (nothing to refresh)', { timeout: 30_000 }, async () => {
    process.env.CB_TEST_STATIC = 'Bearer not-a-valid-token';
    try {
      const result = await runLoad({
        baseUrl: stack.fhirBaseUrl, safety: SAFETY,
        auth: auth({ type: 'static', valueEnv: 'CB_TEST_STATIC' }),
        scenarios: { reads: spec({ executor: 'shared-iterations', vus: 1, iterations: 2, steps: read('0ms') }) },
      });
      // A static value cannot be refreshed: the 401 stays a target failure, sent once per request.
      expect(result.store.query({ metric: 'http_reqs', tags: { status: '401' } }).count).toBe(2);
      expect(result.store.query({ metric: 'auth_retries' }).count).toBe(0);
    } finally {
      delete process.env.CB_TEST_STATIC;
    }
  });
});

describe('auth bad input', () => {
  const smart = (extra: Record<string, unknown>): AuthSpec => auth({ type: 'smart-backend', clientId: 'x', tokenUrl: stack.tokenUrl, ...extra });
  const oneIteration = { reads: spec({ executor: 'shared-iterations', vus: 1, iterations: 1, steps: read('0ms') }) };

  it('refuses an unreadable key file before any request, naming the file', { timeout: 10_000 }, async () => {
    const err = await runLoad({ baseUrl: stack.fhirBaseUrl, planDir: dir, safety: SAFETY, auth: smart({ keyFile: 'missing.pem' }), scenarios: oneIteration }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodeblueError);
    expect((err as CodeblueError).code).toBe('CB_AUTH_INVALID');
    expect((err as CodeblueError).exitCode).toBe(2);
    expect((err as CodeblueError).message).toContain('missing.pem');
    expect((err as CodeblueError).message).toContain('ENOENT');
  });

  it('refuses a file that holds no private key, without quoting it', { timeout: 10_000 }, async () => {
    const err = (await runLoad({ baseUrl: stack.fhirBaseUrl, planDir: dir, safety: SAFETY, auth: smart({ keyFile: 'garbage.pem' }), scenarios: oneIteration }).catch((e: unknown) => e)) as CodeblueError;
    expect(err.code).toBe('CB_AUTH_INVALID');
    expect(err.message).toMatch(/does not hold a RS384 private key/);
    expect(err.message).not.toContain('bm90IGEga2V5');
    expect(err.hint).toBeDefined();
  });

  it('refuses an unset secret variable and a token URL off loopback', { timeout: 10_000 }, async () => {
    const unset = (await runLoad({ baseUrl: stack.fhirBaseUrl, safety: SAFETY, auth: auth({ type: 'client-credentials', clientId: 'x', tokenUrl: stack.tokenUrl, secretEnv: 'CB_TEST_NEVER_SET' }), scenarios: oneIteration }).catch((e: unknown) => e)) as CodeblueError;
    expect(unset.code).toBe('CB_AUTH_INVALID');
    expect(unset.message).toContain('CB_TEST_NEVER_SET');
    const remote = (await runLoad({ baseUrl: stack.fhirBaseUrl, planDir: dir, safety: SAFETY, auth: smart({ keyFile: 'client.pem', tokenUrl: 'http://192.0.2.10/token' }), scenarios: oneIteration }).catch((e: unknown) => e)) as CodeblueError;
    expect(remote.code).toBe('CB_TARGET_NOT_ALLOWED');
    expect(remote.message).toContain('target.auth.tokenUrl');
  });

  for (const status of [400, 500]) {
    it(`counts a token endpoint that answers ${status}: no request is sent, the run ends normally`, { timeout: 30_000 }, async () => {
      const bad = await startFailingTokenEndpoint(status);
      try {
        const result = await runLoad({
          baseUrl: stack.fhirBaseUrl, planDir: dir, safety: SAFETY, auth: smart({ keyFile: 'client.pem', tokenUrl: bad.url }),
          scenarios: { reads: spec({ executor: 'constant-vus', vus: 2, duration: '2s', steps: read('0ms') }) },
        });
        expect(result.requests).toBe(0);
        const failed = result.store.query({ metric: 'auth_token_failed' });
        expect(failed.count).toBeGreaterThanOrEqual(1);
        expect(failed.rate).toBe(1);
        // Back-off: VUs wait for the next attempt instead of hammering the endpoint.
        expect(bad.hits.count).toBe(failed.count);
        expect(bad.hits.count).toBeLessThan(10);
        expect(result.errors.map((e) => e.message).join('\n')).toContain(`answered ${status}`);
        if (status === 400) expect(result.errors[0]?.message).toContain('invalid_client');
      } finally {
        await bad.close();
      }
    });
  }
});

async function startFailingTokenEndpoint(status: number): Promise<{ url: string; hits: { count: number }; close(): Promise<void> }> {
  const hits = { count: 0 };
  const server: Server = createServer((req, res) => {
    hits.count++;
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' }).end(status === 400 ? JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }) : 'internal error');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, hits,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
