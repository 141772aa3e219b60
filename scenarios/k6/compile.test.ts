import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { scenarioSchema, type ScenarioSpec } from '../schema.js';
import { FLOWS } from '../flows/registry.js';
import { resolveThresholds } from '../thresholds.js';
import { compileK6Script, type K6PlanInput } from './compile.js';
import { TAKEN_NAMES } from './exec-names.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { authSchema } from '../auth/schema.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** Type-checks a generated script against @types/k6 (strict, no DOM lib), from a virtual file inside the repo. */
function typeCheck(source: string): string[] {
  const file = join(here, '__generated__', 'script.ts');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts'], types: ['k6'], typeRoots: [join(root, 'node_modules/@types')], skipLibCheck: true, noUnusedLocals: false,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (resolve(name) === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

const plan: K6PlanInput = {
  name: 'ehr-drill',
  target: { baseUrl: 'http://127.0.0.1:8080' },
  scenarios: {
    clinicians: scenarioSchema.parse({ executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '2m', preAllocatedVUs: 20, maxVUs: 100, flow: 'fhir/clinician-dashboard', tags: { team: 'ward' } }),
    registration: scenarioSchema.parse({ executor: 'ramping-vus', startTime: '30s', stages: [{ duration: '30s', target: 10 }, { duration: '90s', target: 10 }], flow: 'fhir/patient-registration' }),
    booking: scenarioSchema.parse({ executor: 'per-vu-iterations', vus: 5, iterations: 3, flow: 'fhir/appointment-booking' }),
    tx: scenarioSchema.parse({ executor: 'shared-iterations', vus: 2, iterations: 10, flow: 'fhir/transaction-bundle' }),
    ramp: scenarioSchema.parse({ executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 5, stages: [{ duration: '1m', target: 30 }], steps: [{ name: 'health', request: { path: '/health', headers: { 'X-Team': '{{ params.team }}' } }, check: { status: 200, contains: 'ok', headers: { 'content-type': 'application/json' }, maxDuration: '500ms' }, think: { min: '100ms', max: '1s' } }], params: { team: 'a' } }),
    soak: scenarioSchema.parse({ executor: 'constant-vus', vus: 2, duration: '1m', steps: [{ name: 'x', request: { method: 'PUT', path: '/x', body: 'id={{ vu }}' } }] }),
  },
  thresholds: resolveThresholds({
    'http_req_duration{scenario:clinicians}': ['p(95)<800', 'p(99.9)<2000'],
    http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEvalMs: 10_000 }],
    http_req_duration_corrected: ['p(99)<1000'],
    dropped_iterations: ['count<10'],
  }),
};

describe('compileK6Script', () => {
  // A whole TypeScript program (lib + @types/k6) is CPU-bound: the bound is for a starved CPU, not a measurement.
  it('generates a script that type-checks against @types/k6', { timeout: 240_000 }, () => {
    const { files, skippedThresholds } = compileK6Script(plan);
    expect(typeCheck(files['script.ts'] as string)).toEqual([]);
    expect(skippedThresholds).toEqual(['http_req_duration_corrected']);
  });

  it('keeps the exact executor options, thresholds, tags, checks and groups', () => {
    const script = compileK6Script(plan).files['script.ts'] as string;
    const options = JSON.parse(/export const options = (\{[\s\S]*?\n\});/.exec(script)?.[1] ?? '{}');
    expect(options.scenarios.clinicians).toEqual({ executor: 'constant-arrival-rate', startTime: '0s', gracefulStop: '30s', exec: 'scenario_clinicians', tags: { team: 'ward' }, rate: 50, timeUnit: '1s', duration: '2m', preAllocatedVUs: 20, maxVUs: 100 });
    expect(options.scenarios.registration).toMatchObject({ executor: 'ramping-vus', startTime: '30s', startVUs: 1, gracefulRampDown: '30s', stages: [{ duration: '30s', target: 10 }, { duration: '90s', target: 10 }] });
    expect(options.thresholds).toEqual({
      'http_req_duration{scenario:clinicians}': ['p(95)<800', 'p(99.9)<2000'],
      http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
      dropped_iterations: ['count<10'],
    });
    expect(script).toContain(`group("register patient", () => {`);
    expect(script).toContain(`check(res, checksOf({"status":201,"json":{"$.resourceType":"Patient","$.id":{"exists":true}}}, seen));`);
    expect(script).toContain('responseCallback: http.expectedStatuses(201, 409)');
    expect(script).toContain(`if (vars["nextPage"] !== undefined) {`);
    expect(script).toContain('CB-SYN-1-000000');
  });

  it('compiles auth to a setup() that fetches the tokens and an async exec that refreshes them, with no secret in the script', { timeout: 240_000 }, () => {
    const auth = { type: 'smart-backend', clientId: 'codeblue', keyFile: 'keys/client.pem', alg: 'ES384', kid: 'k1', fhirBase: '/fhir', scope: 'system/*.read' } as const;
    const script = compileK6Script({
      ...plan, file: '/plans/drill/codeblue.yaml', target: { baseUrl: 'http://127.0.0.1:8080', auth },
      scenarios: {
        reads: scenarioSchema.parse({ executor: 'constant-vus', vus: 2, duration: '1m', flow: 'fhir/clinician-dashboard' }),
        partner: scenarioSchema.parse({ executor: 'constant-vus', vus: 1, duration: '1m', steps: [{ name: 'p', request: { path: '/fhir/Patient', expectedStatuses: [200, 404] } }], auth: { type: 'client-credentials', clientId: 'partner', tokenUrl: 'http://127.0.0.1:9000/token', secretEnv: 'PARTNER_SECRET' } }),
        open: scenarioSchema.parse({ executor: 'constant-vus', vus: 1, duration: '1m', steps: [{ name: 'h', request: { path: '/health' } }], auth: { type: 'none' } }),
        keyed: scenarioSchema.parse({ executor: 'constant-vus', vus: 1, duration: '1m', steps: [{ name: 'k', request: { path: '/fhir/Slot' } }], auth: { type: 'static', header: 'x-api-key', valueEnv: 'API_KEY' } }),
      },
      thresholds: resolveThresholds({ auth_token_failed: ['rate<0.01'], auth_token_duration: ['p(95)<500'] }),
    }).files['script.ts'] as string;
    expect(script).toContain('export async function setup(): Promise<AuthData> {');
    expect(script).toContain('export async function scenario_reads(data: AuthData): Promise<void> {');
    expect(script).toContain('let AUTHZ = await authHeaders("auth0", data);');
    expect(script).toContain('let AUTHZ = await authHeaders("auth1", data);');
    // A 401 inside a (synchronous) group is answered at once: a fresh token from the spare assertion, one resend.
    expect(script).toMatch(/group\("[^"]+", \(\) => \{[\s\S]*?if \(res\.status === 401\) \{\n\s+AUTHZ = reauthorize\("auth0", AUTHZ\) \|\| AUTHZ;\n\s+res = http\.request\(/);
    expect(script).toContain('responseCallback: http.expectedStatuses({ min: 200, max: 399 }, 401) })');
    expect(script).toContain('responseCallback: http.expectedStatuses(200, 404, 401) })');
    expect(script).toContain('responseCallback: http.expectedStatuses(200, 404) })');
    expect(script).toContain("new Counter('auth_retries')");
    expect(script).not.toMatch(/group\([^\n]*async/);
    // A static header cannot be refreshed: its requests go once, as in the engine.
    expect(script).toMatch(/const res = http\.request\("GET", target, null, \{ headers: \{ traceparent: traceparent\(\), \.\.\.AUTHZ \}, tags: \{ name: "\/fhir\/Slot" \}/);
    expect(script).not.toContain('reauthorize("auth2"');
    expect(script).toContain('export function scenario_open(): void {');
    expect(script).toContain('open(__ENV.CODEBLUE_AUTH0_KEY_FILE || "/plans/drill/keys/client.pem")');
    expect(script).toContain('"discoveryUrl": "http://127.0.0.1:8080/fhir/.well-known/smart-configuration"');
    expect(script).toContain('"secretEnv": "PARTNER_SECRET"');
    expect(script).toContain("new Rate('auth_token_failed')");
    expect(JSON.parse(/export const options = (\{[\s\S]*?\n\});/.exec(script)?.[1] ?? '{}').thresholds).toEqual({ auth_token_failed: ['rate<0.01'], auth_token_duration: ['p(95)<500'] });
    expect(typeCheck(script)).toEqual([]);
  });

  it('compiles the full template (SMART auth on the demo, a read-only override) to a script that type-checks and retries after a 401', { timeout: 240_000 }, () => {
    const file = join(root, 'examples', 'full.yaml');
    // Read with this room's own schemas (scenarios may not import plan/): the same slices parsePlan composes.
    const doc = parse(readFileSync(file, 'utf8')) as { name: string; target: { baseUrl: string; auth: unknown }; scenarios: Record<string, unknown>; thresholds: Record<string, string[]> };
    const scenarios = Object.fromEntries(Object.entries(doc.scenarios).map(([n, s]) => [n, scenarioSchema.parse(s)]));
    const script = compileK6Script({ name: doc.name, file, target: { baseUrl: doc.target.baseUrl, auth: authSchema.parse(doc.target.auth) }, scenarios, thresholds: resolveThresholds(doc.thresholds) }).files['script.ts'] as string;
    expect(script).toContain('"discoveryUrl": "http://127.0.0.1:8080/fhir/.well-known/smart-configuration"');
    expect(script).toContain(`open(__ENV.CODEBLUE_AUTH0_KEY_FILE || ${JSON.stringify(join(root, 'examples', '.demo-auth', 'client-key.pem'))})`);
    expect(script.match(/AUTHZ = reauthorize\("auth1", AUTHZ\) \|\| AUTHZ;/g)).toHaveLength(2);
    expect(typeCheck(script)).toEqual([]);
  });

  it('compiles every library flow', { timeout: 60_000 }, () => {
    for (const flow of FLOWS) {
      const one = compileK6Script({ ...plan, scenarios: { only: scenarioSchema.parse({ executor: 'shared-iterations', flow: flow.name }) }, thresholds: [] });
      expect(one.files['script.ts']).toContain(`flow ${flow.name}`);
    }
  });

  it('renames exec names that would break the script (reserved words, k6 lifecycle names, its own helpers) and keeps every function unique', { timeout: 60_000 }, () => {
    const trap = ['delete', 'default', 'options', 'setup', 'teardown', 'handleSummary', 'tpl', 'scopeOf', 'http', 'JSON', 'exec_delete', 'class'];
    const steps = [{ name: 'h', request: { path: '/health' } }];
    const scenarios: Record<string, ScenarioSpec> = {};
    trap.forEach((exec, i) => (scenarios[`s${i}`] = scenarioSchema.parse({ executor: 'shared-iterations', exec, steps })));
    scenarios.twin = scenarioSchema.parse({ executor: 'shared-iterations', exec: 'browse', steps });
    scenarios.twin2 = scenarioSchema.parse({ executor: 'shared-iterations', exec: 'browse', steps });
    scenarios['a-b'] = scenarioSchema.parse({ executor: 'shared-iterations', steps });
    scenarios.a_b = scenarioSchema.parse({ executor: 'shared-iterations', steps });
    const script = compileK6Script({ ...plan, scenarios, thresholds: [] }).files['script.ts'] as string;
    const options = JSON.parse(/export const options = (\{[\s\S]*?\n\});/.exec(script)?.[1] ?? '{}') as { scenarios: Record<string, { exec: string }> };
    const execs = Object.values(options.scenarios).map((o) => o.exec);
    expect(new Set(execs).size).toBe(execs.length);
    for (const exec of execs) {
      expect(exec).toMatch(/^[A-Za-z_$][\w$]*$/);
      expect(TAKEN_NAMES.has(exec)).toBe(false);
      expect(script).toContain(`export function ${exec}(): void {`);
    }
    expect(options.scenarios.s0?.exec).toBe('exec_delete');
    expect(options.scenarios.s2?.exec).toBe('exec_options');
    expect(options.scenarios.twin?.exec).toBe('browse');
    expect(options.scenarios.twin2?.exec).toBe('browse_2');
    expect(typeCheck(script)).toEqual([]);
  });

  it('leaves MLLP steps out with a comment in their place and in the header, lists them as embedded-only, and skips hl7_* thresholds', () => {
    const bundle = compileK6Script({
      ...plan,
      scenarios: { feed: scenarioSchema.parse({ executor: 'shared-iterations', steps: [{ name: 'health', request: { path: '/health' } }, { group: 'adt', steps: [{ name: 'admit', mllp: { address: '127.0.0.1:2575', message: 'ADT^A01' } }] }] }) },
      thresholds: resolveThresholds({ hl7_msg_failed: ['rate<0.01'], http_req_failed: ['rate<0.01'] }),
    });
    const script = bundle.files['script.ts'] as string;
    expect(bundle.embeddedOnlySteps).toEqual(['scenario "feed" step "admit"']);
    expect(bundle.skippedThresholds).toEqual(['hl7_msg_failed']);
    expect(script).toMatch(/^\/\/ Not exported \(MLLP steps are embedded-only: k6 cannot speak MLLP; run the plan with codeblue's engine\): scenario "feed" step "admit"$/m);
    expect(script).toMatch(/^ {4}\/\/ MLLP step "admit" \(127\.0\.0\.1:2575\): embedded-only, k6 cannot speak MLLP; not sent/m);
    expect(script).not.toContain('"hl7_msg_failed":');
    expect(script).toContain('http.request("GET"');
  });
});

