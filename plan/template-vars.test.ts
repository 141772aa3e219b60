/** @module plan: template checks — library flows and every built-in name pass; the bad cases live in bad-plans.test.ts. */
import { describe, expect, it } from 'vitest';
import { FLOWS, SYNTHETIC_FIELDS, createSyntheticData } from '../scenarios/index.js';
import { parsePlan } from './index.js';

const plan = (scenario: string): string => [
  'name: t',
  'target: { baseUrl: "http://127.0.0.1:8080" }',
  'scenarios:',
  '  s1:',
  '    executor: shared-iterations',
  scenario,
].join('\n');

describe('template checks', () => {
  it.each(FLOWS.map((f) => f.name))('passes the library flow %s', (name) => {
    expect(() => parsePlan(plan(`    flow: ${name}`))).not.toThrow();
  });

  it('accepts every synthetic field, params, env, the built-in ids and values saved earlier (also in groups and ledger reads); name and tags are labels', () => {
    const fields = SYNTHETIC_FIELDS.map((f) => `{{ synthetic.${f} }}`).join('/');
    const text = plan([
      '    params: { team: a }',
      '    env: { REGION: eu }',
      '    steps:',
      `      - { name: a, request: { method: POST, path: "/x/${fields}", json: "{{ synthetic.patient }}" }, save: { pid: "$.id" }, ledger: { read: "/p/{{ pid }}" } }`,
      '      - group: g',
      '        steps:',
      '          - { name: b, request: { path: "/p/{{ pid }}/{{ params.team }}/{{ env.REGION }}/{{ vu }}/{{ iter }}/{{ scenario }}/{{ uuid }}" }, save: { next: "$.link" } }',
      '      - { name: c, onlyIf: next, request: { path: "{{ next }}", name: "GET /p/{{ id }}", tags: { t: "{{ x }}" }, query: { n: "{{ synthetic.patient.name[0].family }}" } } }',
    ].join('\n'));
    expect(() => parsePlan(text)).not.toThrow();
  });

  it('accepts {{ id }} (the id the write returned) in a ledger read, and nowhere else', () => {
    const ok = plan(['    steps:', '      - { name: a, request: { method: POST, path: "/Patient", json: "{{ synthetic.patient }}" }, ledger: { read: "/Patient/{{ id }}" } }'].join('\n'));
    expect(() => parsePlan(ok)).not.toThrow();
    const bad = plan(['    steps:', '      - { name: a, request: { method: GET, path: "/Patient/{{ id }}" } }'].join('\n'));
    expect(() => parsePlan(bad)).toThrow(/"\{\{ id \}\}" is not defined/);
  });

  it('lists exactly the fields a synthetic record has', () => {
    expect([...SYNTHETIC_FIELDS].sort()).toEqual(Object.keys(createSyntheticData(1, 1).pick(0)).sort());
  });
});

describe('mllp steps in a plan', () => {
  it('accepts the MLLP section example: a built-in message, a template text with synthetic fields and hl7_* thresholds', () => {
    const text = [
      plan([
        '    steps:',
        '      - name: admit',
        '        mllp: { address: 127.0.0.1:2575, message: ADT^A01, timeout: 5s, expect: { MSA-1: AA } }',
        '      - name: vitals',
        '        mllp:',
        '          address: 127.0.0.1:2575',
        '          message: |',
        '            MSH|^~\\&|CODEBLUE|LOAD|EHR|HOSP|||ORU^R01|x|P|2.5',
        '            PID|1||{{ synthetic.identifier }}||{{ synthetic.family }}^{{ synthetic.given }}',
      ].join('\n')),
      'thresholds:',
      '  hl7_msg_failed: ["rate<0.01"]',
      '  hl7_msg_duration: ["p(95)<500"]',
    ].join('\n');
    expect(() => parsePlan(text)).not.toThrow();
  });

  it('refuses an unknown template name in a message, a bad address, an unknown message type and a bad ACK field, each at its key', () => {
    const bad = (step: string): string => plan(['    steps:', `      - ${step}`].join('\n'));
    expect(() => parsePlan(bad('{ name: a, mllp: { address: 127.0.0.1:2575, message: "MSH|^~\\\\&|A|B|C|D|||ADT^A01|x|P|2.5\\rPID|1||{{ synthetic.famly }}" } }'))).toThrow(/steps\.0\.mllp\.message: "\{\{ synthetic\.famly \}\}" is not defined: synthetic has no "famly"/);
    expect(() => parsePlan(bad('{ name: a, mllp: { address: "127.0.0.1", message: ADT^A01 } }'))).toThrow(/mllp\.address.*host:port/s);
    expect(() => parsePlan(bad('{ name: a, mllp: { address: "127.0.0.1:2575", message: ADT^A04 } }'))).toThrow(/must be one of ADT\^A01, ADT\^A08, ORU\^R01/);
    expect(() => parsePlan(bad('{ name: a, mllp: { address: "127.0.0.1:2575", message: ADT^A01, expect: { msa1: AA } } }'))).toThrow(/SEG-n or SEG-n\.c/);
  });
});
