/**
 * @module test/e2e: a game day against a stack that is not demo/ (test/foreign-stack), with the CLI packed by
 * `npm pack`, installed globally into a temporary prefix, and run from a temporary folder outside the repository
 * on a plan written from docs/plan.md only. Real PostgreSQL behind a codeblue proxy, a separate chaos server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts } from '../support/ports.js';
import { readRunSpans } from '../support/spans.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = fileURLToPath(new URL('../foreign-stack/server.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const LATENCY_MS = 200;
/** `ledger.maxRecords`: below the ~40 registrations, so the read-back is a sample. */
const LEDGER_SAMPLE = 10;
const TABLE = `cb_foreign_${process.pid}_${Date.now().toString(36)}`;

const temp = mkdtempSync(join(tmpdir(), 'cb-foreign-'));
const prefix = join(temp, 'prefix');
const work = join(temp, 'drill');
const children: ChildProcess[] = [];

/** Runs the installed binary; resolves with its exit code and output. */
function codeblue(args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(join(prefix, 'bin', 'codeblue'), args, { cwd: work, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `codeblue chaos serve` from the installed package, on a free port; resolves with its API URL. */
async function startChaosServer(): Promise<string> {
  const child = spawn(join(prefix, 'bin', 'codeblue'), ['chaos', 'serve', '--port', '0'], { cwd: work, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`chaos serve exited ${code}: ${out}`)));
  });
}

/** The plan, written from docs/plan.md alone. */
function writePlan(ports: { api: number; dbLink: number }, chaosUrl: string): string {
  const start = [process.execPath, '--import', TSX, SERVER, '--listen', `127.0.0.1:${ports.api}`, '--db', `127.0.0.1:${ports.dbLink}`, '--table', TABLE].join(' ');
  const plan = `# yaml-language-server: $schema=./codeblue.schema.json
name: foreign-fhir-drill
target:
  baseUrl: http://127.0.0.1:${ports.api}
  start: ${start}
  health: /ready
  healthTimeout: 30s
chaos:
  server: ${chaosUrl}
proxies:
  - { name: db, listen: 127.0.0.1:${ports.dbLink}, upstream: 127.0.0.1:5432 }
phases: { baseline: 7s, fault: 7s, recovery: 7s }
scenarios:
  readers:
    executor: constant-arrival-rate
    rate: 8
    duration: 21s
    preAllocatedVUs: 4
    maxVUs: 20
    steps:
      - name: search by family
        request: { method: GET, path: /api/fhir/Patient, query: { family: "{{ synthetic.family }}" }, name: search }
        check: { status: 200 }
  registrations:
    executor: constant-arrival-rate
    rate: 2
    duration: 21s
    preAllocatedVUs: 2
    maxVUs: 10
    steps:
      - name: register
        request: { method: POST, path: /api/fhir/Patient, json: "{{ synthetic.patient }}", headers: { content-type: application/fhir+json } }
        check: { status: 201 }
        save: { patientId: $.id }
        ledger: { read: "/api/fhir/Patient/{{ id }}" }
      - name: read back
        request: { method: GET, path: "/api/fhir/Patient/{{ patientId }}", name: read }
        check: { status: 200 }
faults:
  - { name: db-slow, proxy: db, at: fault+0s, duration: 7s, toxic: latency, attributes: { latency: ${LATENCY_MS} } }
thresholds:
  http_req_failed: ["rate<0.05"]
slos:
  - { name: availability, objective: 95%, sli: availability }
hypothesis:
  - { name: ready, request: { method: GET, path: /ready }, expect: { status: 200 } }
collectors: { otlpListen: 127.0.0.1:0, metricsListen: 127.0.0.1:0 }
ledger: { maxRecords: ${LEDGER_SAMPLE} }
safety: { maxDuration: 2m, maxRequests: 5000 }
outputs: [json, markdown]
`;
  const file = join(work, 'codeblue.yaml');
  writeFileSync(file, plan);
  return file;
}

interface Row { readonly scenario: string; readonly request: string; readonly count: number; readonly p50Ms: number }
interface Results {
  readonly meta: { readonly status: string; readonly exitCode: number };
  readonly phaseTables: readonly { readonly scope: string; readonly rows: readonly Row[] }[];
  readonly journal: readonly { readonly action: string; readonly leftovers?: readonly string[] }[];
  readonly ledger?: { readonly checked: number; readonly acknowledged?: number; readonly rule?: string };
}

beforeAll(() => {
  // Pack once and install into a prefix of our own (never the system's).
  const pack = spawnSync('npm', ['pack', '--pack-destination', temp, '--silent'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  expect(pack.status, pack.stderr).toBe(0);
  const tgz = readdirSync(temp).find((f) => f.endsWith('.tgz'));
  expect(tgz).toBeDefined();
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, join(temp, tgz as string), '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { encoding: 'utf8', timeout: 120_000 });
  expect(install.status, install.stderr).toBe(0);
  mkdirSync(work, { recursive: true });
}, 180_000);

afterAll(async () => {
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((resolve) => {
    c.once('exit', resolve);
    c.kill('SIGTERM');
  }))));
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  await client.query("SET lock_timeout = '20s'");
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.end();
  // The temporary prefix holds a whole npm install: removing it takes a while on a busy disk.
  await rm(temp, { recursive: true, force: true, maxRetries: 3 });
}, 120_000);

describe('a game day on a foreign stack with the globally installed CLI', () => {
  it('init and validate work from a folder outside the repository', async () => {
    const init = await codeblue(['init', 'starter'], 30_000);
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(work, 'starter', 'codeblue.schema.json'))).toBe(true);
    const valid = await codeblue(['validate', 'starter/codeblue.yaml'], 30_000);
    expect(valid.code, valid.stderr).toBe(0);
  }, 60_000);

  it('runs the drill: requests sent, the fault shows the toxic latency, exit code per verdict, nothing left behind', async () => {
    const chaosUrl = await startChaosServer();
    const [api, dbLink] = (await pickPorts(2)) as [number, number];
    const ports = { api, dbLink };
    writeFileSync(join(work, 'codeblue.schema.json'), (await codeblue(['schema'], 30_000)).stdout);
    writePlan(ports, chaosUrl);

    const run = await codeblue(['run', 'codeblue.yaml'], 85_000);
    const runs = join(work, 'runs');
    expect(existsSync(runs), run.stderr).toBe(true);
    const folder = readdirSync(runs).find((d) => d.endsWith('-foreign-fhir-drill'));
    expect(folder, run.stdout + run.stderr).toBeDefined();
    const results = JSON.parse(readFileSync(join(runs, folder as string, 'results.json'), 'utf8')) as Results;

    // The exit code follows the verdict.
    expect(['passed', 'failed']).toContain(results.meta.status);
    expect(run.code).toBe(results.meta.status === 'passed' ? 0 : 1);
    expect(results.meta.exitCode).toBe(run.code);

    // Requests were sent, and the fault on the DB link shows in the search's median.
    const search = (scope: string): Row | undefined => results.phaseTables.find((t) => t.scope === scope)?.rows.find((r) => r.scenario === 'readers');
    const baseline = search('baseline');
    const fault = search('fault:db-slow');
    expect(baseline?.count ?? 0).toBeGreaterThan(0);
    expect(fault?.count ?? 0).toBeGreaterThan(0);
    expect((fault?.p50Ms ?? 0) - (baseline?.p50Ms ?? 0)).toBeGreaterThanOrEqual(LATENCY_MS * 0.75);

    // More writes acknowledged than `ledger.maxRecords`: that many read back, the rest counted, the rule says so.
    expect(results.ledger?.acknowledged ?? 0).toBeGreaterThan(LEDGER_SAMPLE);
    expect(results.ledger?.checked).toBe(LEDGER_SAMPLE);
    expect(results.ledger?.rule).toMatch(new RegExp(`uniform random sample .*ledger\\.maxRecords: ${LEDGER_SAMPLE}\\b`));

    // The stack's own spans reached the run's OTLP receiver through the injected OTEL_EXPORTER_OTLP_ENDPOINT.
    expect((await readRunSpans(join(runs, folder as string))).some((s) => s.service === 'foreign-fhir')).toBe(true);

    // Rolled back: verified by the run, and the chaos server (which outlives the run) holds nothing of it.
    expect(results.journal.find((j) => j.action === 'rollback-verified')?.leftovers).toEqual([]);
    const proxies = (await (await fetch(`${chaosUrl}/proxies`)).json()) as Record<string, unknown>;
    expect(Object.keys(proxies)).toEqual([]);
  }, 90_000);
});
