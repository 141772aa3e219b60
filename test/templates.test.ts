/** @module test: every template `codeblue init --template` offers is a valid plan for the demo stack, usable from any folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan, renderPlanJsonSchema } from '../plan/index.js';
import { demoStackCommand, targetEnvironment } from '../run/index.js';

const DIR = new URL('../examples/', import.meta.url);
const TEMPLATES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const BIN = new URL('../bin/codeblue.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'cb-templates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The CLI run from a folder outside the repository. */
const codeblue = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });

describe('templates', () => {
  it('ships the drills the issues name', () => {
    expect(TEMPLATES.map((f) => f.replace('.yaml', '')).sort()).toEqual(['compliance', 'db-latency', 'dirty-data', 'ehr-outage', 'full', 'hl7-feed', 'spike']);
  });

  it.each(TEMPLATES)('%s validates, stays under 3 minutes and only targets loopback', (file) => {
    const plan = parsePlan(readFileSync(new URL(file, DIR), 'utf8'), file);
    expect(plan.runLengthMs).toBeLessThanOrEqual(180_000);
    expect(new URL(plan.target.baseUrl).hostname).toBe('127.0.0.1');
    for (const p of plan.proxies) expect([p.listen, p.upstream].every((a) => a.startsWith('127.0.0.1:'))).toBe(true);
    expect(plan.safety.maxRequests).toBeLessThanOrEqual(100_000);
  });

  it.each(TEMPLATES)('%s starts the packaged demo stack, not a path relative to the working directory', (file) => {
    const plan = parsePlan(readFileSync(new URL(file, DIR), 'utf8'), file);
    expect(plan.target.start).toMatch(/^\$CODEBLUE_DEMO_STACK /);
  });

  it('ehr-outage runs latency, then timeout, then reset_peer on the EHR link', () => {
    const plan = parsePlan(readFileSync(new URL('ehr-outage.yaml', DIR), 'utf8'));
    expect(plan.faults.map((f) => [f.proxy, f.toxic])).toEqual([['ehr', 'latency'], ['ehr', 'timeout'], ['ehr', 'reset_peer']]);
    expect(plan.faults.map((f) => f.startMs)).toEqual([...plan.faults.map((f) => f.startMs)].sort((a, b) => a - b));
  });

  it('hl7-feed sends ADT^A01 over the EHR link under latency then reset_peer, resets the EHR → FHIR feed, with HL7 SLOs and the ledger of acknowledged admits', () => {
    const plan = parsePlan(readFileSync(new URL('hl7-feed.yaml', DIR), 'utf8'));
    expect(plan.faults.map((f) => [f.proxy, f.toxic])).toEqual([['ehr', 'latency'], ['ehr', 'reset_peer'], ['fhir-feed', 'reset_peer']]);
    // The stack's feed goes through the proxy the faults reset, to the API the load targets.
    const feed = plan.proxies.find((p) => p.name === 'fhir-feed');
    expect(plan.target.start).toContain(`--feed-link ${feed?.listen ?? '?'}`);
    expect(`http://${feed?.upstream ?? '?'}`).toBe(plan.target.baseUrl);
    const ehr = plan.proxies.find((p) => p.name === 'ehr');
    const step = plan.scenarios['adt-feed']?.steps?.[0];
    expect(step !== undefined && 'mllp' in step && step.mllp).toMatchObject({ address: ehr?.listen, message: 'ADT^A01', ledger: { read: '/fhir/Encounter/hl7-{{ id }}' } });
    expect(plan.slos.map((s) => s.events)).toEqual(['hl7', 'hl7']);
  });
});

describe('the packaged demo stack command', () => {
  it('gives the target OTEL_EXPORTER_OTLP_ENDPOINT and CODEBLUE_DEMO_STACK', () => {
    expect(targetEnvironment('http://127.0.0.1:4318')).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', CODEBLUE_DEMO_STACK: demoStackCommand() });
  });

  it('runs the demo stack from a folder outside the repository (its --help exits 0)', () => {
    const r = spawnSync('sh', ['-c', '$CODEBLUE_DEMO_STACK --help'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CODEBLUE_DEMO_STACK: demoStackCommand() }, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/--ehr-link/);
  });
});

describe('codeblue init and schema', () => {
  it('init writes a plan whose first line points editors at the JSON Schema written beside it', () => {
    const r = codeblue('init', 'drill', '--template', 'db-latency');
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(tmp, 'drill', 'codeblue.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./codeblue.schema.json');
    expect(readFileSync(join(tmp, 'drill', 'codeblue.schema.json'), 'utf8')).toBe(renderPlanJsonSchema());
    expect(codeblue('validate', 'drill/codeblue.yaml').status).toBe(0);
  });

  it('schema prints the JSON Schema of the plan', () => {
    const r = codeblue('schema');
    expect(r.status, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string; properties: Record<string, unknown>; required: string[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['target', 'scenarios', 'faults', 'slos', 'hypothesis']));
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'target', 'scenarios']));
  });
});
