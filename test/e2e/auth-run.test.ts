/**
 * @module test/e2e: a game day against a SMART-protected FHIR endpoint (a real oidc-provider issuing 10 s
 * tokens): it stays authorized for several token lives, and no token, secret or key reaches the run folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../plan/index.js';
import { executeGameDay } from '../../run/index.js';
import { startOAuthStack, type OAuthStack } from '../../scenarios/auth/testing/oauth-stack.js';

let dir: string;
let stack: OAuthStack;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-auth-run-'));
  stack = await startOAuthStack({ tokenLifeS: 10 });
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('a game day on a SMART-protected FHIR API', () => {
  it('refreshes 10 s tokens through a 25 s drill with no 401 counted, and leaves no token or key in the run folder', { timeout: 120_000 }, async () => {
    const planDir = join(dir, 'plan');
    mkdirSync(join(planDir, 'keys'), { recursive: true });
    writeFileSync(join(planDir, 'keys', 'client.pem'), stack.privateKeyPem);
    writeFileSync(join(planDir, 'codeblue.yaml'), JSON.stringify({
      name: 'smart-drill',
      target: { baseUrl: stack.fhirBaseUrl, health: '/health', auth: { type: 'smart-backend', clientId: stack.clientId, fhirBase: '/fhir', keyFile: 'keys/client.pem' } },
      collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
      scenarios: { reads: { executor: 'constant-vus', vus: 2, duration: '25s', steps: [{ name: 'search', request: { path: '/fhir/Patient' }, check: { status: 200 }, think: '200ms' }] } },
      thresholds: {
        http_req_failed: ['rate<0.01'], auth_token_failed: ['rate<0.01'],
        // Tag filters are read from the run's store: this plan's grant matches, another grant matches no fetch.
        'auth_token_failed{auth:smart-backend}': ['rate<0.01'], 'auth_token_duration{auth:static}': ['max<1'],
      },
      outputs: ['json', 'html', 'junit', 'markdown', 'dashboard', 'k6'],
    }));
    const plan = await loadPlan(join(planDir, 'codeblue.yaml'));
    const outcome = await executeGameDay(plan, { outRoot: join(dir, 'runs') });

    const auth = outcome.results.verdicts.find((v) => v.name === 'auth_token_failed: rate<0.01');
    expect(auth).toMatchObject({ pass: true, observed: 0 });
    expect(outcome.results.verdicts.find((v) => v.name === 'auth_token_failed{auth:smart-backend}: rate<0.01')).toMatchObject({ pass: true, observed: 0 });
    expect(outcome.results.verdicts.find((v) => v.name === 'auth_token_duration{auth:static}: max<1')).toMatchObject({ pass: true, observed: null });
    expect(outcome.exitCode).toBe(0);
    expect(stack.refused.count).toBe(0);
    // The first token and at least two refreshes, each shared by both VUs.
    expect(stack.acceptedTokens.size).toBeGreaterThanOrEqual(3);
    const files = filesUnder(outcome.runDir);
    expect(files.some((f) => f.endsWith('results.json'))).toBe(true);
    const keyBody = stack.privateKeyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    const secrets = [...stack.acceptedTokens, ...keyBody, String(stack.privateJwk.d)];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${secret.slice(0, 12)}… found in ${file}`).toBe(false);
      expect(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./.test(text), `a JWT in ${file}`).toBe(false);
    }
    const results = readFileSync(join(outcome.runDir, 'results.json'), 'utf8');
    expect(results).toContain('auth_token_failed');
  });

  it('stops a game day whose key file cannot be read with CB_AUTH_INVALID (exit 2), before any request reaches the API', { timeout: 60_000 }, async () => {
    const planDir = join(dir, 'badkey');
    mkdirSync(planDir, { recursive: true });
    writeFileSync(join(planDir, 'codeblue.yaml'), JSON.stringify({
      name: 'smart-badkey',
      target: { baseUrl: stack.fhirBaseUrl, health: '/health', auth: { type: 'smart-backend', clientId: stack.clientId, tokenUrl: stack.tokenUrl, keyFile: 'keys/missing.pem' } },
      collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
      scenarios: { reads: { executor: 'shared-iterations', vus: 1, iterations: 3, steps: [{ name: 'search', request: { path: '/fhir/Patient' } }] } },
      outputs: ['json'],
    }));
    const before = stack.fhirRequests.count;
    const plan = await loadPlan(join(planDir, 'codeblue.yaml'));
    const err = await executeGameDay(plan, { outRoot: join(dir, 'runs-badkey') }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_AUTH_INVALID', exitCode: 2 });
    expect((err as Error).message).toContain('keys/missing.pem (ENOENT)');
    expect(stack.fhirRequests.count).toBe(before);
  });
});
