/**
 * @module test/e2e: the demo stack started with `--auth` as a process, drilled by codeblue's own SMART client
 * (scenarios/auth: discovery, RS384 assertion from the key file the stack wrote, token cache and refresh).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_GUARD, MetricStore, systemClock } from '../../core/index.js';
import { startStack, type StackProcess } from '../../demo/testing/run-stack.js';
import { pickPort } from '../support/ports.js';
import { dropSchema, TEST_DATABASE_URL } from '../../demo/testing/test-database.js';
import { createRunnerAuth } from '../../scenarios/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-demo-auth-stack-'));
const keyFile = join(dir, '.demo-auth', 'client-key.pem');
const schema = `cb_auth_stack_${process.pid}_${Date.now().toString(36)}`;
let stack: StackProcess;
let base: string;

beforeAll(async () => {
  const [port, ehr] = [await pickPort(), await pickPort()];
  base = `http://127.0.0.1:${port}`;
  stack = await startStack(['--port', String(port), '--ehr-listen', `127.0.0.1:${ehr}`, '--db-mode', 'real', '--database-url', TEST_DATABASE_URL, '--schema', schema,
    '--auth', '--auth-token-life-s', '4', '--auth-client-key-out', keyFile], {}, 90_000);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await dropSchema(schema).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo stack with --auth', { timeout: 60_000 }, () => {
  it('says so when ready, refuses unauthenticated FHIR requests and keeps health and metadata open', async () => {
    expect(stack.stderr()).toMatch(/auth: SMART Backend Services · token http:\/\/127\.0\.0\.1:\d+\/auth\/token · tokens live 4s · clients codeblue-demo · synthetic client key/);
    expect(existsSync(keyFile)).toBe(true);
    expect((await fetch(`${base}/fhir/Patient`)).status).toBe(401);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/fhir/metadata`)).status).toBe(200);
  });

  it("accepts codeblue's SMART tokens (discovered, from the key it wrote), refuses one once expired, and codeblue fetches a fresh one", async () => {
    const stop = new AbortController();
    const store = new MetricStore();
    const secrets = new Set<string>();
    const auth = await createRunnerAuth({
      target: { type: 'smart-backend', clientId: 'codeblue-demo', fhirBase: '/fhir', keyFile: '.demo-auth/client-key.pem', scope: 'system/*.read', alg: 'RS384' },
      overrides: { reads: undefined }, baseUrl: base, planDir: dir, guard: LOOPBACK_GUARD, clock: systemClock(), store, signal: stop.signal, noteSecret: (v) => void secrets.add(v),
    });
    try {
      const session = auth.forScenario('reads');
      const first = await session?.current(stop.signal);
      if (!first?.ok) throw new Error(`no token: ${first?.ok === false ? first.message : 'no session'}`);
      const read = (h: { name: string; value: string }): Promise<Response> => fetch(`${base}/fhir/Patient?_count=1`, { headers: { [h.name]: h.value } });
      expect((await read(first.header)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 5_000));
      const stale = await read(first.header);
      expect(stale.status).toBe(401);
      expect(stale.headers.get('www-authenticate')).toContain('the access token expired');
      const next = await session?.current(stop.signal);
      if (!next?.ok) throw new Error('no second token');
      expect(next.header.value).not.toBe(first.header.value);
      expect((await read(next.header)).status).toBe(200);
      expect(store.query({ metric: 'auth_token_failed' }).count).toBeGreaterThanOrEqual(2);
      expect(store.query({ metric: 'auth_token_failed' }).rate).toBe(0);
      expect(secrets.has(first.header.value.replace(/^Bearer /, ''))).toBe(true);
    } finally {
      stop.abort();
      await auth.close();
    }
  });

  it('removes the synthetic key when it stops', async () => {
    expect(await stack.stop()).toBe(0);
    expect(existsSync(keyFile)).toBe(false);
  });
});
