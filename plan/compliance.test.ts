/** @module collectors/phi: the plan's `compliance` and `slos[].scope` keys, parsed through the real plan loader. */
import { describe, expect, it } from 'vitest';
import { PlanError } from '../core/index.js';
import { parsePlan } from './index.js';

const PLAN = [
  'name: t',
  'target: { baseUrl: http://127.0.0.1:8080 }',
  'scenarios:',
  '  s1: { executor: constant-vus, vus: 1, duration: 5s, flow: fhir/clinician-dashboard }',
];

const issuesOf = (extra: string[]): { line: number; message: string; path: string }[] => {
  try {
    parsePlan([...PLAN, ...extra].join('\n'));
  } catch (err) {
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).exitCode).toBe(2);
    return (err as PlanError).issues.map((i) => ({ line: i.line, message: i.message, path: i.path }));
  }
  throw new Error('expected a PlanError');
};

describe('plan: compliance and SLO scope', () => {
  it('defaults to scanning, failing on a finding, allowing nothing, and SLOs gated on all windows', () => {
    const plan = parsePlan([...PLAN, 'slos: [{ name: a, objective: 99%, sli: availability }]'].join('\n'));
    expect(plan.compliance).toEqual({ phiScan: 'on', onFinding: 'fail', allow: [] });
    expect(plan.slos[0]?.scope).toBe('all-windows');
  });

  it('reads every setting', () => {
    const plan = parsePlan([...PLAN,
      'compliance:', '  phiScan: off', '  onFinding: warn', '  allow:', '    - key: url.query', '    - { pattern: "^CB-SYN-", rule: mrn, service: ehr }',
      'slos: [{ name: a, objective: 99%, sli: availability, scope: steady-state }]'].join('\n'));
    expect(plan.compliance).toEqual({ phiScan: 'off', onFinding: 'warn', allow: [{ key: 'url.query' }, { pattern: '^CB-SYN-', rule: 'mrn', service: 'ehr' }] });
    expect(plan.slos[0]?.scope).toBe('steady-state');
  });

  it.each([
    [['compliance: { phiScan: maybe }'], 5, 'compliance.phiScan'],
    [['compliance: { onFinding: ignore }'], 5, 'compliance.onFinding'],
    [['compliance:', '  allow:', '    - pattern: "(unclosed"'], 7, 'compliance.allow.0.pattern'],
    [['compliance:', '  allow:', '    - {}'], 7, 'compliance.allow.0'],
    [['compliance: { scan: off }'], 5, 'compliance.scan'],
    [['slos: [{ name: a, objective: 99%, sli: availability, scope: fault-only }]'], 5, 'slos.0.scope'],
  ])('rejects %j at line %i (%s) with exit 2', (extra, line, path) => {
    const issues = issuesOf(extra);
    expect(issues.map((i) => [i.line, i.path])).toContainEqual([line, path]);
  });
});
