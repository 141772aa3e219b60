import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_LIMIT_BYTES, lastAppliedBytes, LAST_APPLIED_KEY } from './apply-size.js';
import { checkOperatorBaseUrl } from './operator-base-url.js';
import { operatorManifests } from './operator.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/k6-operator');
const ALLOWED = { allowHosts: ['ehr.ward.svc'], allowRemote: true };

type Schema = { properties?: Record<string, Schema>; items?: Schema; additionalProperties?: unknown; [k: string]: unknown };

/** The CRD's schema, with unknown fields refused: the API server would silently prune them, hiding a typo. */
function closed(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, closed(v)]));
    if (schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (schema.items) out.items = closed(schema.items);
  return out;
}

let cached: ((doc: unknown) => string | undefined) | undefined;

async function testRunValidator(): Promise<(doc: unknown) => string | undefined> {
  if (cached) return cached;
  const crd = parse(await readFile(join(FIXTURES, 'k6.io_testruns.yaml'), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
  const v1alpha1 = crd.spec.versions.find((v) => v.name === 'v1alpha1');
  if (!v1alpha1) throw new Error('the CRD has no v1alpha1');
  // x-kubernetes-* keywords and formats such as int32 are Kubernetes' own: ajv ignores them.
  const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(closed(v1alpha1.schema.openAPIV3Schema));
  cached = (doc) => (validate(doc) ? undefined : JSON.stringify(validate.errors));
  return cached;
}

describe('operatorManifests', () => {
  it('writes a TestRun the real k6-operator CRD accepts, sending the runner pods to the given base URL', async () => {
    const m = operatorManifests({ name: 'EHR Drill', parallelism: 4, namespace: 'ward', script: 'export default function () {}', baseUrl: 'http://ehr.ward.svc:8080' });
    const testRun = parse(m.files['testrun.yaml'] as string);
    expect((await testRunValidator())(testRun)).toBeUndefined();
    expect(testRun).toMatchObject({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: 'codeblue-ehr-drill', namespace: 'ward' }, spec: { parallelism: 4, arguments: '-e BASE_URL=http://ehr.ward.svc:8080', script: { configMap: { name: 'codeblue-ehr-drill-script', file: 'script.ts' } } } });
    expect(parse(m.files['configmap.yaml'] as string)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: m.configMapName }, data: { 'script.ts': 'export default function () {}' } });
  });

  it('refuses a field the CRD does not know, so the validation above has teeth', async () => {
    const testRun = parse(operatorManifests({ name: 'x', parallelism: 1, script: 'x', baseUrl: 'http://ehr.ward.svc' }).files['testrun.yaml'] as string);
    expect((await testRunValidator())({ ...testRun, spec: { ...testRun.spec, paralelism: 2 } })).toMatch(/paralelism/);
    expect((await testRunValidator())({ ...testRun, spec: { ...testRun.spec, parallelism: '2' } })).toMatch(/integer/);
  });

  it('refuses a script above the 1 MiB a ConfigMap holds', () => {
    expect(() => operatorManifests({ name: 'x', parallelism: 1, script: 'x'.repeat(1_100_000), baseUrl: 'http://a' })).toThrow(/1 MiB/);
  });

  it('reports the last-applied annotation size client-side kubectl apply would store', () => {
    const small = operatorManifests({ name: 'x', parallelism: 1, script: 'a && b', baseUrl: 'http://a' });
    expect(small.lastAppliedBytes).toBeLessThan(ANNOTATION_LIMIT_BYTES);
    // 200 kB of `&&` grows to 600 kB of JSON escapes: over the limit though the script itself is under it.
    const big = operatorManifests({ name: 'x', parallelism: 1, script: '&&'.repeat(100_000), baseUrl: 'http://a' });
    expect(big.lastAppliedBytes).toBeGreaterThan(ANNOTATION_LIMIT_BYTES);
    expect(big.lastAppliedBytes).toBeGreaterThan(6 * 200_000);
  });
});

describe('lastAppliedBytes', () => {
  it('matches the annotation real kubectl writes, byte for byte in length', async () => {
    const real = JSON.parse(await readFile(join(FIXTURES, 'kubectl-save-config.json'), 'utf8')) as { metadata: { annotations: Record<string, string> } };
    const annotation = real.metadata.annotations[LAST_APPLIED_KEY] as string;
    const script = await readFile(join(FIXTURES, 'tricky-script.txt'), 'utf8');
    const same = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'codeblue-x-script', creationTimestamp: null }, data: { 'script.ts': script } };
    expect(lastAppliedBytes(same)).toBe(Buffer.byteLength(LAST_APPLIED_KEY) + Buffer.byteLength(annotation));
  });
});

describe('checkOperatorBaseUrl', () => {
  it('accepts a cluster URL the plan allows with --allow-remote, without resolving it here', () => {
    expect(checkOperatorBaseUrl('http://ehr.ward.svc:8080/', ALLOWED)).toBe('http://ehr.ward.svc:8080');
  });

  it.each([
    ['a loopback address, which is the pod itself', 'http://127.0.0.1:8080', ALLOWED, 'CB_USAGE', /pass --base-url with the address the pods reach/],
    ['localhost', 'http://localhost:8080', ALLOWED, 'CB_USAGE', /pass --base-url with the address the pods reach/],
    ['IPv6 loopback', 'http://[::1]:8080', ALLOWED, 'CB_USAGE', /pass --base-url with the address the pods reach/],
    ['a host missing from safety.allowHosts', 'http://billing.svc', ALLOWED, 'CB_TARGET_NOT_ALLOWED', /add it to safety.allowHosts/],
    ['an allowed host without --allow-remote', 'http://ehr.ward.svc', { ...ALLOWED, allowRemote: false }, 'CB_TARGET_NOT_ALLOWED', /pass --allow-remote/],
    ['a non-URL', 'ehr.ward.svc:8080', ALLOWED, 'CB_USAGE', /e\.g\. --base-url/],
  ] as const)('refuses %s', (_title, url, policy, code, hint) => {
    let caught: { code?: string; hint?: string } | undefined;
    try {
      checkOperatorBaseUrl(url, policy);
    } catch (err) {
      caught = err as { code?: string; hint?: string };
    }
    expect(caught?.code).toBe(code);
    expect(caught?.hint).toMatch(hint);
  });
});
