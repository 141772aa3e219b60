/**
 * @module test/e2e: short game-day plans against the demo stack, with a free port for everything and a
 * PostgreSQL schema of their own, plus readers for what a run leaves behind (journal, results, chaos server).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { clientFor } from '../../chaos/index.js';
import { pickPorts } from '../support/ports.js';
import { dropSchema, TEST_DATABASE_URL } from '../../demo/testing/test-database.js';
import { parsePlan, type Plan } from '../../plan/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The name tag of the fhir/patient-registration flow's Encounter create (the call that waits for the EHR). */
export const ENCOUNTER_CREATE = 'POST /fhir/Encounter';

interface StackPorts {
  readonly api: number;
  readonly ehrListen: number;
  readonly ehrLink: number;
  readonly dbLink: number;
}

export interface DrillOptions {
  readonly name: string;
  readonly preset: 'hardened' | 'fragile';
  /** Seconds of each phase. */
  readonly phases: { readonly baseline: number; readonly fault: number; readonly recovery: number };
  /** Plan faults, as written in a plan (`proxy` is `ehr` or `postgres`). */
  readonly faults: readonly Record<string, unknown>[];
  /** Patient registrations started per second (fhir/patient-registration). */
  readonly rate?: number;
  readonly thresholds?: Readonly<Record<string, readonly unknown[]>>;
  readonly halt?: { readonly errorRate: number; readonly for: string };
  /** `embedded` or the URL of a chaos server that outlives the run. */
  readonly chaosServer?: string;
  readonly outputs?: readonly string[];
}

/** A drill's plan with everything that names a port or a schema chosen for this test alone. */
export interface Drill {
  readonly plan: Plan;
  readonly text: string;
  readonly ports: StackPorts;
  readonly schema: string;
  /** Writes the plan into `dir` and returns its path (for `codeblue run`). */
  writeTo(dir: string): string;
}

let schemas = 0;
const created: string[] = [];

async function stackPorts(): Promise<StackPorts> {
  const [api, ehrListen, ehrLink, dbLink] = (await pickPorts(4)) as [number, number, number, number];
  return { api, ehrListen, ehrLink, dbLink };
}

/** A plan: the demo stack started by the run on free ports, the EHR and database links through proxies, registrations as load. */
export async function drill(o: DrillOptions): Promise<Drill> {
  const ports = await stackPorts();
  const schema = `cb_e2e_${process.pid}_${Date.now().toString(36)}_${++schemas}`;
  created.push(schema);
  const runSeconds = o.phases.baseline + o.phases.fault + o.phases.recovery;
  const start = [
    JSON.stringify(process.execPath), '--import tsx demo/stack.ts',
    `--port ${ports.api}`, `--ehr-listen 127.0.0.1:${ports.ehrListen}`, `--ehr-link 127.0.0.1:${ports.ehrLink}`,
    `--db-link 127.0.0.1:${ports.dbLink}`, '--db-mode real', `--database-url ${TEST_DATABASE_URL}`, `--schema ${schema}`,
    `--${o.preset}`,
  ].join(' ');
  const db = new URL(TEST_DATABASE_URL);
  const doc = {
    name: o.name,
    target: { baseUrl: `http://127.0.0.1:${ports.api}`, start, cwd: REPO_ROOT, health: '/health/ready', healthTimeout: '60s' },
    chaos: { server: o.chaosServer ?? 'embedded', listen: '127.0.0.1:0' },
    proxies: [
      { name: 'ehr', listen: `127.0.0.1:${ports.ehrLink}`, upstream: `127.0.0.1:${ports.ehrListen}` },
      { name: 'postgres', listen: `127.0.0.1:${ports.dbLink}`, upstream: `${db.hostname}:${db.port || '5432'}` },
    ],
    phases: { baseline: `${o.phases.baseline}s`, fault: `${o.phases.fault}s`, recovery: `${o.phases.recovery}s` },
    scenarios: {
      registration: {
        executor: 'constant-arrival-rate', rate: o.rate ?? 4, duration: `${runSeconds}s`, preAllocatedVUs: 8, maxVUs: 40,
        flow: 'fhir/patient-registration',
      },
    },
    faults: o.faults,
    thresholds: o.thresholds ?? {},
    hypothesis: [{ name: 'api ready', request: { method: 'GET', path: '/health/ready' }, expect: { status: 200 } }],
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
    safety: { maxDuration: '2m', maxRequests: 20_000, ...(o.halt ? { halt: o.halt } : {}) },
    outputs: o.outputs ?? ['json', 'html'],
  };
  // JSON is YAML: the plan goes through the same loader a user's file does.
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const plan = parsePlan(text, `${o.name}.yaml`);
  return {
    plan, text, ports, schema,
    writeTo(dir) {
      const file = join(dir, `${o.name}.yaml`);
      writeFileSync(file, text);
      return file;
    },
  };
}

/** Drops every schema the drills of this file created. */
export async function dropDrillSchemas(): Promise<void> {
  for (const schema of created.splice(0)) await dropSchema(schema);
}

/** Deletes the oldest Patient the run stored, directly in the database; returns its id. */
export async function deleteOnePatient(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`delete from ${schema}.resources where (type, id) = (select type, id from ${schema}.resources where type = 'Patient' order by seq limit 1) returning id`);
    const id = rows[0]?.id;
    if (id === undefined) throw new Error(`no Patient in ${schema}.resources to delete`);
    return id;
  } finally {
    await client.end();
  }
}

export interface JournalLine {
  readonly offsetMs: number;
  readonly action: string;
  readonly phase?: string;
  readonly proxy?: string;
  readonly toxic?: string;
  readonly outcome?: string;
  readonly reason?: string;
}

export function readJournal(runDir: string): JournalLine[] {
  return readFileSync(join(runDir, 'journal.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JournalLine);
}

/** Names of every proxy on a chaos server (a proxy's toxics go with it). */
export async function proxyNames(url: string): Promise<string[]> {
  return Object.keys(await clientFor(url).getAll());
}

/** Whether the toxic `toxic` is on the proxy `proxy` right now, read with toxiproxy-node-client. */
export async function toxicPresent(url: string, proxy: string, toxic: string): Promise<boolean> {
  try {
    await (await clientFor(url).get(proxy)).getToxic(toxic);
    return true;
  } catch (err) {
    if (err instanceof Error && /status code 404\b/.test(err.message)) return false;
    throw err;
  }
}
