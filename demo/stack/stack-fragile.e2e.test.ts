/**
 * @module demo/stack: the whole stack as child processes on real PostgreSQL, fragile — fine at baseline,
 * but a latency fault on the EHR link makes EHR-dependent requests hang past the client's timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';
import { startDelayProxy, type DelayProxy } from '../testing/delay-proxy.js';
import { fhir, patient } from '../testing/fhir-client.js';
import { pickPort, withPorts } from '../../test/support/ports.js';
import { startStack, stillAliveAfter, type StackProcess } from '../testing/run-stack.js';

const schema = `demo_fragile_${process.pid}`;

describe('demo stack, fragile, PostgreSQL', { timeout: 60_000 }, () => {
  let proxy: DelayProxy;
  let dbProxy: DelayProxy | undefined;
  let dbLinkPort = 0;
  let stack: StackProcess | undefined;
  let root = '';

  beforeAll(async () => {
    dbLinkPort = await pickPort(); // nothing listens here until the test creates the "proxy"
    let apiPort = 0;
    stack = await withPorts(2, async ([api, ehrPort]) => {
      await proxy?.close();
      apiPort = api as number;
      proxy = await startDelayProxy({ host: '127.0.0.1', port: ehrPort as number });
      return startStack(
        ['--port', String(api), '--ehr-listen', `127.0.0.1:${String(ehrPort)}`, '--ehr-link', `127.0.0.1:${proxy.port}`, '--database-url', TEST_DATABASE_URL, '--db-link', `127.0.0.1:${dbLinkPort}`, '--schema', schema, '--fragile', '--ehr-delay-ms', '0', '--ehr-jitter-ms', '0', '--ehr-malformed-rate', '0'],
        { OTEL_SDK_DISABLED: 'true' },
      );
    });
    root = `http://127.0.0.1:${apiPort}`;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    await proxy?.close();
    await dbProxy?.close();
    await dropSchema(schema);
  });

  it('is live but not ready while its database link is missing, and becomes ready once the link appears', async () => {
    const before = await fhir(`${root}/health`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ ready: false, dependencies: { database: { status: 'down', address: `127.0.0.1:${dbLinkPort}` } } });
    expect((await fhir(`${root}/health/ready`)).status).toBe(503);
    expect((await fhir(`${root}/fhir/Patient`, { body: patient('Early') })).status).toBe(503);
    dbProxy = await startDelayProxy({ host: '127.0.0.1', port: 5432 }, 0, dbLinkPort);
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = (await fhir(`${root}/health/ready`)).status;
    }
    expect(ready).toBe(200);
  });

  it('serves FHIR on real PostgreSQL and admits through the EHR at baseline', async () => {
    const h = await fhir(`${root}/health`);
    expect(h.body).toMatchObject({ mode: 'fragile', dependencies: { database: { status: 'up', migrated: true }, ehr: { link: { breaker: 'off' } } } });
    const p = await fhir(`${root}/fhir/Patient`, { body: patient('Fragile') });
    const enc = await fhir(`${root}/fhir/Encounter`, { body: { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: `Patient/${String(p.body.id)}` } } });
    expect(enc.status).toBe(201);
    expect(enc.headers.get('x-ehr-admit')).toBe('acked');
  });

  it('under a 4 s latency fault on the EHR link, EHR-dependent requests exceed a 2.5 s client timeout', async () => {
    const p = await fhir(`${root}/fhir/Patient`, { body: patient('Fragile2') });
    proxy.delayMs = 4000;
    try {
      const encounter = { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: `Patient/${String(p.body.id)}` } };
      const results = await Promise.allSettled([
        fhir(`${root}/fhir/Encounter`, { body: encounter, timeoutMs: 2500 }),
        fhir(`${root}/fhir/Observation?patient=${String(p.body.id)}`, { timeoutMs: 2500 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : ''))).toEqual(['TimeoutError', 'TimeoutError']);
      // The database path does not touch the EHR, so plain reads still work.
      expect((await fhir(`${root}/fhir/Patient/${String(p.body.id)}`, { timeoutMs: 2500 })).status).toBe(200);
    } finally {
      proxy.delayMs = 0;
    }
  });

  it('stops on SIGINT with exit 0 and leaves no child process behind', async () => {
    const pids = stack?.childPids() ?? [];
    expect(pids.filter((p) => p.command === 'node')).toHaveLength(2);
    expect(await stack?.stop('SIGINT')).toBe(0);
    // tsx's esbuild helper exits on its own once its stdin (from the stack) closes, so allow it a moment.
    expect(await stillAliveAfter(pids.map((p) => p.pid))).toEqual([]);
  });
});
