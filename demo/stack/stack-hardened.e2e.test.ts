/**
 * @module demo/stack: the whole stack as child processes on embedded PGlite, hardened — spans cross
 * fhir-api → legacy-ehr with the right parents, and a latency fault on the EHR link opens the breaker
 * while the API keeps answering 2xx.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../testing/delay-proxy.js';
import { fhir, patient } from '../testing/fhir-client.js';
import { startOtlpJsonReceiver, type OtlpJsonReceiver, type ReceivedSpan } from '../testing/otlp-json-receiver.js';
import { withPorts } from '../../test/support/ports.js';
import { startStack, stillAliveAfter, type StackProcess } from '../testing/run-stack.js';

const SERVER = 2;
const CLIENT = 3;

describe('demo stack, hardened, embedded database', { timeout: 60_000 }, () => {
  let otlp: OtlpJsonReceiver;
  let proxy: DelayProxy;
  let dbProxy: DelayProxy;
  let stack: StackProcess | undefined;
  let base = '';
  let root = '';
  let apiPort = 0;

  beforeAll(async () => {
    otlp = await startOtlpJsonReceiver();
    // The stack binds the API, EHR and embedded database ports itself; a start that loses one of them is retried.
    stack = await withPorts(3, async ([api, ehrPort, dbPort]) => {
      await proxy?.close();
      await dbProxy?.close();
      apiPort = api as number;
      proxy = await startDelayProxy({ host: '127.0.0.1', port: ehrPort as number });
      dbProxy = await startDelayProxy({ host: '127.0.0.1', port: dbPort as number });
      return startStack(
        ['--port', String(api), '--ehr-listen', `127.0.0.1:${String(ehrPort)}`, '--ehr-link', `127.0.0.1:${proxy.port}`, '--db-mode', 'embedded', '--database-url', `postgres://postgres@127.0.0.1:${String(dbPort)}/postgres`, '--db-link', `127.0.0.1:${dbProxy.port}`, '--otlp', otlp.endpoint, '--hardened', '--ehr-delay-ms', '0', '--ehr-jitter-ms', '0', '--ehr-malformed-rate', '0'],
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SDK_DISABLED: 'false' },
      );
    });
    root = `http://127.0.0.1:${apiPort}`;
    base = `${root}/fhir`;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    await proxy?.close();
    await dbProxy?.close();
    await otlp?.close();
  });

  it('prints the ready line and answers /health with its dependencies', async () => {
    expect(stack?.readyLine).toBe(`demo stack ready: fhir ${base}`);
    const h = await fhir(`${root}/health`);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', mode: 'hardened', dependencies: { database: { status: 'up', migrated: true }, ehr: { status: 'up', link: { breaker: 'closed' } } } });
  });

  it('exports spans whose parents link the caller, fhir-api, its HL7 client span and the legacy-ehr server span', async () => {
    const p = await fhir(`${base}/Patient`, { body: patient('Traced') });
    // The hardened preset gives each EHR attempt 600 ms: on a starved machine an admit can be queued instead of acked
    // (its send then happens later, in the outbox's own trace), so a queued admit is retried, each with its own trace.
    let traceId = '';
    let callerSpanId = '';
    let admit: string | null = null;
    for (let attempt = 0; attempt < 3 && admit !== 'acked'; attempt++) {
      traceId = randomBytes(16).toString('hex');
      callerSpanId = randomBytes(8).toString('hex');
      const traceparent = `00-${traceId}-${callerSpanId}-01`;
      const enc = await fhir(`${base}/Encounter`, { body: { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: `Patient/${String(p.body.id)}` } }, headers: { traceparent } });
      expect(enc.status).toBe(201);
      admit = enc.headers.get('x-ehr-admit');
    }
    expect(admit).toBe('acked');
    const inTrace = (spans: readonly ReceivedSpan[]): ReceivedSpan[] => spans.filter((s) => s.traceId === traceId);
    // fhir-api's SERVER span ends last (after the answer), so on a busy machine its exporter's next batch brings it:
    // wait for every span the test reads, not only the legacy-ehr and database ones.
    await otlp.waitFor((spans) => {
      const t = inTrace(spans);
      return t.some((s) => s.service === 'legacy-ehr' && s.kind === SERVER) && t.some((s) => s.service === 'fhir-api' && s.name.startsWith('pg'))
        && t.some((s) => s.service === 'fhir-api' && s.kind === SERVER) && t.some((s) => s.service === 'fhir-api' && s.kind === CLIENT && s.name === 'HL7 ADT^A01 send');
    });
    const spans = inTrace(otlp.spans);
    const server = spans.find((s) => s.service === 'fhir-api' && s.kind === SERVER);
    expect(server?.parentSpanId).toBe(callerSpanId);
    const hl7Client = spans.find((s) => s.service === 'fhir-api' && s.kind === CLIENT && s.name === 'HL7 ADT^A01 send');
    expect(hl7Client).toBeDefined();
    const ancestors = (s: ReceivedSpan | undefined): string[] => {
      const out: string[] = [];
      for (let cur = s; cur; cur = spans.find((x) => x.spanId === cur?.parentSpanId)) out.push(cur.parentSpanId);
      return out;
    };
    expect(ancestors(hl7Client)).toContain(server?.spanId);
    const ehrServer = spans.find((s) => s.service === 'legacy-ehr' && s.kind === SERVER);
    expect(ehrServer?.name).toBe('HL7 ADT^A01 receive');
    expect(ehrServer?.parentSpanId).toBe(hl7Client?.spanId);
    const pgSpan = spans.find((s) => s.service === 'fhir-api' && s.name.startsWith('pg'));
    expect(ancestors(pgSpan)).toContain(server?.spanId);
  });

  it('under a 10 s latency fault on the EHR link, opens its breaker and keeps answering 2xx long before the EHR would', { timeout: 120_000 }, async () => {
    // A generous 8 s per answer (a starved machine makes an embedded-database write slow), still short of the EHR's 10 s.
    const p = await fhir(`${base}/Patient`, { body: patient('Fault') });
    proxy.delayMs = 10_000;
    try {
      const admits: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await fhir(`${base}/Encounter`, { body: { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: `Patient/${String(p.body.id)}` } }, timeoutMs: 8000 });
        expect(r.status).toBe(201);
        admits.push(r.headers.get('x-ehr-admit') ?? '');
      }
      expect(admits.every((a) => a === 'queued')).toBe(true);
      const obs = await fhir(`${base}/Observation?patient=${String(p.body.id)}`, { timeoutMs: 8000 });
      expect(obs.status).toBe(200);
      expect(obs.headers.get('x-ehr-results')).toBe('stale');
      const h = await fhir(`${root}/health`, { timeoutMs: 8000 });
      expect(h.body.dependencies.ehr.link.breaker).toBe('open');
    } finally {
      proxy.delayMs = 0;
    }
  });

  it('under a 6 s latency fault on the database link, serves known resources from its cache and fails unknown ones with 503', async () => {
    // The hardened query timeout is 2 s: 5.5 s per answer leaves a busy machine room, still short of the link's 6 s.
    const p = await fhir(`${base}/Patient`, { body: patient('Cached') });
    expect((await fhir(`${base}/Patient/${String(p.body.id)}`)).status).toBe(200);
    dbProxy.delayMs = 6000;
    try {
      const [known, unknown] = await Promise.all([fhir(`${base}/Patient/${String(p.body.id)}`, { timeoutMs: 5500 }), fhir(`${base}/Patient/never-seen`, { timeoutMs: 5500 })]);
      expect(known.status).toBe(200);
      expect(known.headers.get('x-cache')).toBe('stale-fallback');
      expect(known.body.name[0].family).toBe('Cached');
      expect(unknown.status).toBe(503);
      expect(unknown.body.resourceType).toBe('OperationOutcome');
    } finally {
      dbProxy.delayMs = 0;
    }
  });

  it('stops on SIGTERM with exit 0 and leaves no child process behind', async () => {
    const pids = stack?.childPids() ?? [];
    expect(pids.filter((p) => p.command === 'node')).toHaveLength(2);
    expect(await stack?.stop('SIGTERM')).toBe(0);
    // tsx's esbuild helper exits on its own once its stdin (from the stack) closes, so allow it a moment.
    expect(await stillAliveAfter(pids.map((p) => p.pid))).toEqual([]);
  });
});
