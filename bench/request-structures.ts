/**
 * @module bench: heap of what grows with requests in the run process, compact form vs the object-per-request form it
 * replaced (built in the same run as the reference): the acknowledged-write ledger at its 50,000-write cap. Spans are
 * bounded by the span store's byte budget (collectors/store/trace-buffer.ts). Goal: the compact form ≤ 0.5× the objects' heap.
 * Then what grows per second of run (#19): the MetricStore's cells and exemplar reservoirs from minute 2 to 10 at a
 * soak's rate, held in memory vs spilled to a run folder (goal: the spilled store's growth ≤ 0.25× in memory's).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MetricRecorder, MetricStore, resourceFields, type Millis } from '../core/index.js';
import { createLedger, type AcknowledgedWrite } from '../run/ledger.js';
import { createSyntheticData } from '../scenarios/index.js';

const WRITES = 50_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth (MB) while `build` holds what it made. */
function heapOf(build: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const held = build();
  gc();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  if (held === undefined) throw new Error('nothing held');
  return (after - before) / 1e6;
}

/** What the engine records for the n-th acknowledged write (a Patient, an Encounter or an Observation). */
function writeOf(n: number, people: ReturnType<typeof createSyntheticData>): AcknowledgedWrite & { step: string; traceId: string } {
  const id = `${n.toString(16)}-4d2c-9a1b-${String(n).padStart(12, '0')}`;
  const resource = { ...people.pick(n).patient, id, meta: { versionId: '1', lastUpdated: new Date(1_700_000_000_000 + n).toISOString() } };
  return {
    at: n * 3.1, scenario: 'registration', step: 'create patient', resourceType: 'Patient', id, readPath: `/fhir/Patient/${id}`,
    keyFields: resourceFields(resource), traceId: n.toString(16).padStart(32, '0'),
  };
}

async function measure(): Promise<void> {
  const people = createSyntheticData(7);
  const ledgerObjects = heapOf(() => {
    const kept = new Map<string, AcknowledgedWrite>(); // the form before: the engine's entry object, kept as is
    for (let n = 0; n < WRITES; n++) {
      const w = writeOf(n, people);
      kept.set(`${w.resourceType}/${w.id}`, w);
    }
    return kept;
  });
  const ledgerCompact = heapOf(() => {
    const ledger = createLedger(WRITES);
    for (let n = 0; n < WRITES; n++) ledger.add(writeOf(n, people));
    return ledger;
  });
  const dir = mkdtempSync(join(tmpdir(), 'cb-structures-'));
  const ledgerSpilled = heapOf(() => {
    const ledger = createLedger(WRITES, { spillPath: join(dir, 'ledger-writes.ndjson.gz') });
    for (let n = 0; n < WRITES; n++) ledger.add(writeOf(n, people));
    return ledger;
  });
  // What the store gains from minute 2 to minute 10 (its series, totals and the recent seconds are there by minute 2).
  const inMemory = new MetricStore();
  const spilling = new MetricStore();
  spilling.spillTo(join(dir, 'samples'));
  const recorders = [new MetricRecorder(inMemory), new MetricRecorder(spilling)] as const;
  for (const rec of recorders) record(rec, 0, 120);
  const metricsInMemory = heapOf(() => record(recorders[0], 120, 600));
  const metricsSpilled = heapOf(() => record(recorders[1], 120, 600));
  rmSync(dir, { recursive: true, force: true });
  const line = (what: string, objects: number, compact: number): string => {
    const ratio = compact / objects;
    return `  ${what.padEnd(46)} objects ${objects.toFixed(1).padStart(6)} MB · compact ${compact.toFixed(1).padStart(6)} MB · ratio ${ratio.toFixed(2)} (goal ≤ 0.5)  ${ratio <= 0.5 ? '✓' : '✗'}`;
  };
  process.stdout.write([
    `heap held (heapUsed + ArrayBuffers after GC), same run`,
    line(`ledger, ${WRITES.toLocaleString('en-US')} acknowledged Patients`, ledgerObjects, ledgerCompact),
    `  ledger spilled to the run folder: ${ledgerSpilled.toFixed(1)} MB (${(ledgerSpilled / ledgerCompact).toFixed(2)}× the compact strings)`,
    `  metrics + exemplars, growth from minute 2 to 10 at ${RATE}/s over ${NAMES.length} endpoints: in memory ${metricsInMemory.toFixed(1)} MB · spilled ${metricsSpilled.toFixed(1)} MB · ratio ${(metricsSpilled / metricsInMemory).toFixed(2)} (goal ≤ 0.25)  ${metricsSpilled <= metricsInMemory * 0.25 ? '✓' : '✗'}`,
    '',
  ].join('\n'));
}

const RATE = 300;
const NAMES = ['GET /fhir/Patient', 'GET /fhir/Patient/{id}', 'GET /fhir/Encounter', 'GET /fhir/Observation', 'POST /fhir/Patient', 'POST /fhir/Encounter', 'POST /fhir/Observation', 'PUT /fhir/Patient/{id}'];

/** Seconds [fromS, toS) of a soak's requests recorded as the engine does (metrics and exemplars, statuses 200/201/503). */
function record(rec: MetricRecorder, fromS: number, toS: number): MetricRecorder {
  for (let i = fromS * RATE; i < toS * RATE; i++) {
    const at = ((i * 1000) / RATE) as Millis;
    const name = NAMES[i % NAMES.length] as string;
    const durationMs = 5 + ((i * 7919) % 400) / 4;
    rec.recordRequest({
      scheduledAt: at, startedAt: at, scenario: name.startsWith('GET') ? 'clinicians' : 'registration', name, method: name.split(' ')[0] as string, group: '',
      status: i % 97 === 0 ? 503 : name.startsWith('POST') ? 201 : 200, durationMs, correctedDurationMs: durationMs + 1, failed: i % 97 === 0,
      bytesSent: 200, bytesReceived: 2000, traceId: (i + 1).toString(16).padStart(32, '0'),
    });
  }
  return rec;
}

/** In a process of its own: in bench/run.ts's process, what earlier benchmarks left is collected mid-measurement (a negative heap). */
export async function run(): Promise<void> {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  if (child.status !== 0) process.stdout.write(`  request-structures: the measuring process failed (exit ${child.status ?? child.signal})\n`);
}

// `npx tsx bench/request-structures.ts` (or the child above) measures.
if (import.meta.url === `file://${process.argv[1]}`) await measure();
