/**
 * @module bench/soak: the soak's plan — the demo stack on free ports (a PostgreSQL schema of its own), steady reads and
 * registrations at a fixed arrival rate, and EHR faults that repeat through the fault phase (latency, then reset_peer).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickPort } from '../../test/support/ports.js';
import { TEST_DATABASE_URL } from '../../demo/testing/test-database.js';
import { REPO_ROOT } from '../../test/e2e/game-day-fixture.js';

/** What the soak asks of the run. */
export interface SoakShape {
  readonly minutes: number;
  /** Clinician-dashboard iterations per second (3–4 reads each). */
  readonly readRate: number;
  /** Patient registrations per second (4 writes each, one through the EHR link). */
  readonly registrationRate: number;
  /** false: the stack falls back to embedded PGlite (no schema to drop). */
  readonly realPostgres: boolean;
}

export interface SoakPlan {
  readonly file: string;
  readonly schema: string;
  readonly loadSeconds: number;
  readonly faultWindows: number;
}

/** Phase lengths: baseline and recovery a sixth of the run each, at most a minute. */
function phasesOf(totalS: number): { baseline: number; fault: number; recovery: number } {
  const edge = Math.min(60, Math.floor(totalS / 6));
  return { baseline: edge, fault: totalS - 2 * edge, recovery: edge };
}

/** A latency window and a reset_peer window in every cycle of the fault phase (two minutes, shorter for short soaks). */
function faultsOf(baselineS: number, faultS: number): Record<string, unknown>[] {
  const cycle = Math.min(120, Math.floor(faultS / 2));
  const faults: Record<string, unknown>[] = [];
  for (let c = 0, at = baselineS; at + cycle <= baselineS + faultS; c++, at += cycle) {
    const slow = Math.max(5, Math.round(cycle / 6));
    const resets = Math.max(5, Math.round(cycle / 12));
    faults.push({ name: `ehr-slow-${c + 1}`, proxy: 'ehr', at: `${at}s`, duration: `${slow}s`, toxic: 'latency', attributes: { latency: 800, jitter: 100 } });
    faults.push({ name: `ehr-resets-${c + 1}`, proxy: 'ehr', at: `${at + Math.round(cycle / 2)}s`, duration: `${resets}s`, toxic: 'reset_peer', attributes: { timeout: 0 } });
  }
  return faults;
}

/** Writes the plan into `dir`; every port is free and the schema is this run's alone. */
export async function writeSoakPlan(dir: string, shape: SoakShape): Promise<SoakPlan> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await pickPort());
  const [api, ehrListen, ehrLink] = [...ports] as [number, number, number];
  const schema = `cb_soak_${process.pid}_${Date.now().toString(36)}`;
  const totalS = Math.round(shape.minutes * 60);
  const phases = phasesOf(totalS);
  const start = [
    JSON.stringify(process.execPath), '--import tsx demo/stack.ts', `--port ${api}`, `--ehr-listen 127.0.0.1:${ehrListen}`,
    `--ehr-link 127.0.0.1:${ehrLink}`, `--schema ${schema}`, '--hardened',
    ...(shape.realPostgres ? ['--db-mode real', `--database-url ${TEST_DATABASE_URL}`] : ['--db-mode embedded']),
  ].join(' ');
  const scenario = (flow: string, rate: number): Record<string, unknown> => ({
    executor: 'constant-arrival-rate', rate, duration: `${totalS}s`, preAllocatedVUs: Math.ceil(rate * 2), maxVUs: Math.ceil(rate * 5), flow,
  });
  const faults = faultsOf(phases.baseline, phases.fault);
  const doc = {
    name: 'soak',
    target: { baseUrl: `http://127.0.0.1:${api}`, start, cwd: REPO_ROOT, health: '/health/ready', healthTimeout: '90s' },
    chaos: { server: 'embedded', listen: '127.0.0.1:0' },
    proxies: [{ name: 'ehr', listen: `127.0.0.1:${ehrLink}`, upstream: `127.0.0.1:${ehrListen}` }],
    phases: { baseline: `${phases.baseline}s`, fault: `${phases.fault}s`, recovery: `${phases.recovery}s` },
    scenarios: { clinicians: scenario('fhir/clinician-dashboard', shape.readRate), registration: scenario('fhir/patient-registration', shape.registrationRate) },
    faults,
    thresholds: { 'http_req_duration{scenario:clinicians}': ['p(95)<2000'], http_req_failed: ['rate<0.05'] },
    slos: [
      { name: 'availability', objective: '99%', sli: 'availability', window: '30d' },
      { name: 'read latency', objective: '95%', sli: { latency: '1s' }, window: '30d', filter: { scenario: 'clinicians' } },
    ],
    hypothesis: [{ name: 'api ready', request: { method: 'GET', path: '/health/ready' }, expect: { status: 200 } }],
    collectors: { otlpListen: '127.0.0.1:0', otlpGrpcListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
    safety: { maxDuration: `${totalS + 600}s`, maxRequests: Math.ceil(totalS * (shape.readRate * 4 + shape.registrationRate * 4) * 2) },
    outputs: ['json', 'html', 'junit', 'markdown', 'dashboard'],
  };
  const file = join(dir, 'soak.yaml');
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`); // JSON is YAML: the same loader a user's file meets
  return { file, schema, loadSeconds: totalS, faultWindows: faults.length };
}
