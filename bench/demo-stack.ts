/**
 * @module bench: the demo stack's overheads, each against a reference measured in the same run —
 * FHIR read-by-id throughput vs a bare HTTP server sending the same bytes, the same read behind `--auth`
 * (bearer token verified on every request) vs open, and the hardened EHR adapter (breaker + retry + span) vs a raw
 * MLLP exchange.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../demo/db/embedded-postgres.js';
import { probePostgres } from '../demo/db/probe-postgres.js';
import { createEhrAdapter } from '../demo/fhir-api/ehr-adapter.js';
import { buildResultsQuery } from '../demo/fhir-api/ehr-messages.js';
import { PRESETS } from '../demo/fhir-api/resilience.js';
import { exchangeMllp } from '../demo/hl7/mllp.js';
import { startTestApi } from '../demo/testing/start-test-api.js';
import { dropSchema, TEST_DATABASE_URL } from '../demo/testing/test-database.js';

const LOAD_MS = 4000;
const CONNECTIONS = 8;
const MLLP_CALLS = 1500;

/** Closed-loop GETs of `path` on `origin` for LOAD_MS with CONNECTIONS in flight; requests per second. */
async function requestsPerSecond(origin: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const pool = new Pool(origin, { connections: CONNECTIONS });
  const until = Date.now() + LOAD_MS;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() < until) {
      const res = await pool.request({ method: 'GET', path, headers });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}`);
      done += 1;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const rate = done / ((Date.now() - t0) / 1000);
  await pool.close();
  return rate;
}

/** Mean milliseconds per call of `fn`, over MLLP_CALLS sequential calls. */
async function msPerCall(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < MLLP_CALLS; i++) await fn();
  return (performance.now() - t0) / MLLP_CALLS;
}

async function startStaticServer(body: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A bearer token from the demo's token endpoint, for its synthetic client (key in `keyFile`). */
async function demoToken(origin: string, keyFile: string): Promise<string> {
  const key = await importPKCS8(readFileSync(keyFile, 'utf8'), 'RS384');
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'RS384' }).setIssuer('codeblue-demo').setSubject('codeblue-demo')
    .setAudience(`${origin}/auth/token`).setJti(crypto.randomUUID()).setExpirationTime(now + 240).sign(key);
  const res = await fetch(`${origin}/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
  });
  return String(((await res.json()) as { access_token: string }).access_token);
}

/** Prints the figures and ratios. */
export async function run(): Promise<void> {
  const realPg = (await probePostgres(TEST_DATABASE_URL).catch(() => 'absent')) === 'present';
  const embedded: EmbeddedPostgres | undefined = realPg ? undefined : await startEmbeddedPostgres({ host: '127.0.0.1', port: 0 });
  const schema = `demo_bench_${process.pid}`;
  const t = await startTestApi(embedded?.url ?? TEST_DATABASE_URL, schema);
  try {
    const created = await fetch(`${t.api.url}/fhir/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Bench', given: ['Mark'] }], birthDate: '1970-01-01' }) });
    const patient = (await created.json()) as { id: string };
    const path = `/fhir/Patient/${patient.id}`;
    const sameBytes = await (await fetch(`${t.api.url}${path}`)).text();
    const reference = await startStaticServer(sameBytes);
    const fhirRate = await requestsPerSecond(t.api.url, path);
    const bareRate = await requestsPerSecond(reference.origin, '/');
    await reference.close();

    const keyDir = mkdtempSync(join(tmpdir(), 'cb-bench-auth-'));
    const secured = await startTestApi(embedded?.url ?? TEST_DATABASE_URL, schema, 'hardened', { enabled: true, tokenLifeS: 3600, clients: [], clientKeyOut: join(keyDir, 'client.pem'), clientAlg: 'RS384' });
    const token = await demoToken(secured.api.url, join(keyDir, 'client.pem'));
    // Alternated, best of three each: a busy machine's drift hits both sides alike.
    let [openRate, authRate] = [0, 0];
    for (let round = 0; round < 3; round++) {
      openRate = Math.max(openRate, await requestsPerSecond(t.api.url, path));
      authRate = Math.max(authRate, await requestsPerSecond(secured.api.url, path, { authorization: `Bearer ${token}` }));
    }
    await secured.stop();
    rmSync(keyDir, { recursive: true, force: true });

    const adapter = createEhrAdapter(t.ehr.mllp, PRESETS.hardened);
    const raw = await msPerCall(() => exchangeMllp(t.ehr.mllp, buildResultsQuery('bench', []).text, 2000));
    const hardened = await msPerCall(() => adapter.labResults('bench'));
    adapter.shutdown();

    const db = realPg ? 'PostgreSQL 127.0.0.1:5432' : 'embedded PGlite';
    process.stdout.write(
      [
        `demo-stack (${db}, ${CONNECTIONS} connections, ${LOAD_MS / 1000}s each)`,
        `  FHIR GET Patient/{id}          ${fhirRate.toFixed(0)} req/s`,
        `  bare http, same bytes          ${bareRate.toFixed(0)} req/s`,
        `  ratio fhir/bare                ${(fhirRate / bareRate).toFixed(3)}`,
        `  FHIR GET, --auth bearer (ES256 verify)  ${authRate.toFixed(0)} req/s vs open ${openRate.toFixed(0)} req/s (best of 3, alternated)`,
        `  ratio auth/open                ${(authRate / openRate).toFixed(3)}`,
        `  MLLP QRY^R02 raw exchange      ${raw.toFixed(3)} ms/call`,
        `  hardened adapter, parse+breaker+retry (no-op tracer)  ${hardened.toFixed(3)} ms/call`,
        `  ratio hardened/raw             ${(hardened / raw).toFixed(3)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await t.stop();
    if (embedded) await embedded.stop();
    else await dropSchema(schema);
  }
}

// `npx tsx bench/demo-stack.ts` runs it alone; bench/run.ts imports run().
if (import.meta.url === `file://${process.argv[1]}`) await run();
