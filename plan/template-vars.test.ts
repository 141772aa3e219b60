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
