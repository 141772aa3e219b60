import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyntheticData } from '../../scenarios/index.js';
import { startFhirTarget, type FhirTarget } from '../../scenarios/testing/fhir-target.js';

const BIN = resolve(import.meta.dirname, '../../bin/codeblue.js');
let target: FhirTarget;
let dir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const plan = (baseUrl: string, threshold: string): string => `name: ward-load
target:
  baseUrl: ${baseUrl}
scenarios:
  registration:
    executor: shared-iterations
    vus: 2
    iterations: 6
    flow: fhir/patient-registration
  dashboard:
    executor: constant-arrival-rate
    rate: 10
    timeUnit: 1s
    duration: 1s
    preAllocatedVUs: 4
    flow: fhir/clinician-dashboard
thresholds:
  http_req_failed: ["rate<0.01"]
  "http_req_duration{scenario:registration}": ["${threshold}"]
`;

beforeAll(async () => {
  target = await startFhirTarget();
  dir = await mkdtemp(join(tmpdir(), 'cb-load-cli-'));
});
afterAll(async () => {
  await target.close();
  await rm(dir, { recursive: true, force: true });
});

describe('codeblue load', () => {
  it('runs FHIR flows against a local FHIR server and prints a k6-style summary with ✓ thresholds (exit 0)', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'ok.yaml'), plan(target.baseUrl, 'p(95)<5000'));
    const r = await cli(['load', join(dir, 'ok.yaml'), '--samples', join(dir, 'metrics.ndjson')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('█ THRESHOLDS');
    expect(r.stdout).toContain("✓ 'p(95)<5000' p(95)=");
    expect(r.stdout).toContain('█ TOTAL RESULTS');
    expect(r.stdout).toMatch(/http_reqs\.+: \d+/);
    expect(r.stdout).toContain('✓ status is 201');
    expect((await readFile(join(dir, 'metrics.ndjson'), 'utf8')).split('\n')[0]).toContain('codeblue-metrics/1');
  });

  it('exits 1 with ✗ when a threshold fails, 2 for an unknown scenario, 3 when the target is down', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'fail.yaml'), plan(target.baseUrl, 'max<0'));
    const failed = await cli(['load', join(dir, 'fail.yaml'), '--scenario', 'registration']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("✗ 'max<0' max=");
    const unknown = await cli(['load', join(dir, 'fail.yaml'), '--scenario', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('CB_USAGE');
    await writeFile(join(dir, 'down.yaml'), plan('http://127.0.0.1:9', 'p(95)<5000'));
    const down = await cli(['load', join(dir, 'down.yaml')]);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('CB_TARGET_UNREACHABLE');
  });
});

describe('codeblue load synthetic data', () => {
  it("uses the plan's seed for synthetic data, as run does (not always seed 1)", { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'seeded.yaml'), `name: seeded\nseed: 4242\ntarget:\n  baseUrl: ${target.baseUrl}\nscenarios:\n  reg:\n    executor: shared-iterations\n    vus: 1\n    iterations: 1\n    flow: fhir/patient-registration\n`);
    const r = await cli(['load', join(dir, 'seeded.yaml')]);
    expect(r.code).toBe(0);
    const wanted = createSyntheticData(4242).pick(0).patient.identifier;
    expect(wanted).not.toEqual(createSyntheticData(1).pick(0).patient.identifier);
    const patients = [...target.resources.entries()].filter(([k]) => k.startsWith('Patient/')).map(([, v]) => (v as { identifier?: unknown }).identifier);
    expect(patients).toContainEqual(wanted);
  });
});

describe('codeblue k6 export', () => {
  it('writes script.ts and, with --operator, a TestRun sending the runner pods to --base-url', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'export.yaml'), `${plan('http://127.0.0.1:8080', 'p(95)<500')}safety:\n  allowHosts: [ehr.ward.svc]\n`);
    const out = join(dir, 'k6');
    const args = ['k6', 'export', join(dir, 'export.yaml'), '-o', out, '--operator', '--parallelism', '3'];
    const r = await cli([...args, '--base-url', 'http://ehr.ward.svc:8080', '--allow-remote']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['configmap.yaml', 'script.ts', 'testrun.yaml']);
    const testRun = await readFile(join(out, 'testrun.yaml'), 'utf8');
    expect(testRun).toContain('parallelism: 3');
    expect(testRun).toContain('arguments: -e BASE_URL=http://ehr.ward.svc:8080');
    expect(testRun).not.toContain('127.0.0.1');
    expect(await readFile(join(out, 'script.ts'), 'utf8')).toContain('(__ENV.BASE_URL || "http://ehr.ward.svc:8080")');
    expect(r.stdout).toContain(`or: kubectl apply -f ${join(out, 'configmap.yaml')} -f ${join(out, 'testrun.yaml')}`);
    const bad = await cli(['k6', 'export', join(dir, 'export.yaml'), '-o', out, '--parallelism', 'x']);
    expect(bad.code).toBe(2);
  });

  it('refuses runner pods sent to loopback or to a host the plan does not allow (exit 2)', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'guarded.yaml'), `${plan('http://127.0.0.1:8080', 'p(95)<500')}safety:\n  allowHosts: [ehr.ward.svc]\n`);
    const args = ['k6', 'export', join(dir, 'guarded.yaml'), '-o', join(dir, 'k6-guarded'), '--operator'];
    const loopback = await cli(args);
    expect(loopback.code).toBe(2);
    expect(loopback.stderr).toContain('inside a pod 127.0.0.1 is the pod itself');
    const unlisted = await cli([...args, '--base-url', 'http://billing.svc', '--allow-remote']);
    expect(unlisted.code).toBe(2);
    expect(unlisted.stderr).toContain('CB_TARGET_NOT_ALLOWED');
    const noFlag = await cli([...args, '--base-url', 'http://ehr.ward.svc']);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toMatch(/hint: .*pass --allow-remote/);
    const withoutOperator = await cli(['k6', 'export', join(dir, 'guarded.yaml'), '-o', join(dir, 'k6-guarded'), '--base-url', 'http://ehr.ward.svc']);
    expect(withoutOperator.code).toBe(2);
  });

  it('warns when the ConfigMap is too big for kubectl apply and prints commands that skip its annotation', { timeout: 60_000 }, async () => {
    const steps = Array.from({ length: 700 }, (_, i) => `      - { name: s${i}, request: { path: "/Patient?name=${'a'.repeat(380)}&i=${i}" } }`).join('\n');
    await writeFile(join(dir, 'big.yaml'), `name: big\ntarget:\n  baseUrl: http://127.0.0.1:8080\nsafety:\n  allowHosts: [ehr.ward.svc]\nscenarios:\n  s:\n    executor: shared-iterations\n    vus: 1\n    iterations: 1\n    steps:\n${steps}\n`);
    const out = join(dir, 'k6-big');
    const r = await cli(['k6', 'export', join(dir, 'big.yaml'), '-o', out, '--operator', '--namespace', 'ward', '--base-url', 'http://ehr.ward.svc', '--allow-remote']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warn {2}configmap\.yaml needs a \d+-byte last-applied annotation under `kubectl apply`; the API server refuses more than 262144/);
    expect(r.stdout).toContain(`or: kubectl create configmap codeblue-big-script -n ward --from-file=script.ts=${join(out, 'script.ts')} && kubectl apply -f ${join(out, 'testrun.yaml')}`);
    expect(r.stdout).toContain(`or: kubectl apply --server-side -f ${join(out, 'configmap.yaml')}`);
    const json = await cli(['--json', 'k6', 'export', join(dir, 'big.yaml'), '-o', out, '--operator', '--base-url', 'http://ehr.ward.svc', '--allow-remote']);
    expect(JSON.parse(json.stdout)).toMatchObject({ baseUrl: 'http://ehr.ward.svc', configMap: { name: 'codeblue-big-script', fitsClientSideApply: false, lastAppliedBytes: expect.any(Number) } });
  });

  it('prints the VUs a short run used (vus: 2 min=2 max=2, not 0)', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'short.yaml'), `name: short\ntarget:\n  baseUrl: ${target.baseUrl}\nscenarios:\n  s:\n    executor: constant-vus\n    vus: 2\n    duration: 300ms\n    steps:\n      - { name: h, request: { path: /health }, think: 50ms }\n`);
    const r = await cli(['load', join(dir, 'short.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ vus\.+: 2 +min=2 +max=2/);
  });

  it('exits 1 with a verdict line when no request was sent', { timeout: 60_000 }, async () => {
    await writeFile(join(dir, 'none.yaml'), `name: none\ntarget:\n  baseUrl: ${target.baseUrl}\nscenarios:\n  s:\n    executor: ramping-arrival-rate\n    startRate: 0\n    preAllocatedVUs: 1\n    stages: [{ duration: 300ms, target: 0 }]\n    steps:\n      - { name: h, request: { path: /health } }\n`);
    const r = await cli(['load', join(dir, 'none.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('█ VERDICT  ✗ FAIL no requests were sent');
    const json = await cli(['--json', 'load', join(dir, 'none.yaml')]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim().split('\n').pop() as string)).toMatchObject({ passed: false, requests: 0, renderFailures: { count: 0 }, reason: expect.stringMatching(/^no requests were sent/) });
  });
});

describe('codeblue load and k6 export with an MLLP step', () => {
  it('fails the run on an hl7_msg_failed threshold when the interface engine answers AE, shows HL7 in the summary, and warns on k6 export', { timeout: 60_000 }, async () => {
    // A raw MLLP peer that answers every message AE, echoing its control id in MSA-2.
    const peer = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        const id = chunk.toString('utf8').split('\r')[0]?.split('|')[9] ?? '';
        socket.write(`\x0bMSH|^~\\&|EHR|HOSP|CB|LOAD|20260101000000||ACK^A01^ACK|R${id}|P|2.5\rMSA|AE|${id}|rejected\x1c\r`);
      });
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
    try {
      const address = `127.0.0.1:${(peer.address() as AddressInfo).port}`;
      await writeFile(join(dir, 'hl7.yaml'), `name: hl7\ntarget:\n  baseUrl: ${target.baseUrl}\nscenarios:\n  feed:\n    executor: shared-iterations\n    vus: 1\n    iterations: 3\n    steps:\n      - { name: admit, mllp: { address: "${address}", message: ADT^A01 } }\nthresholds:\n  hl7_msg_failed: ["rate<0.01"]\n`);
      const r = await cli(['load', join(dir, 'hl7.yaml')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ 'rate<0\.01' rate=100\.00%/);
      expect(r.stdout).toMatch(/ {4}HL7\n {4}hl7_msg_duration\.+: avg=/);
      expect(r.stdout).toMatch(/hl7_msgs\.+: 3 /);
      expect(r.stdout).toContain('3× admit: the peer answered AE');
      const out = join(dir, 'k6-hl7');
      const k6 = await cli(['k6', 'export', join(dir, 'hl7.yaml'), '-o', out]);
      expect(k6.code).toBe(0);
      expect(k6.stdout).toContain(' warning  scenario "feed" step "admit" is an MLLP step: embedded-only, k6 cannot send it');
      expect(await readFile(join(out, 'script.ts'), 'utf8')).toContain('// MLLP step "admit"');
    } finally {
      await new Promise((r) => peer.close(r));
    }
  });
});

