/** @module plan: paths that would leave target.baseUrl once joined to it are plan errors, with file:line:col. */
import { describe, expect, it } from 'vitest';
import { PlanError } from '../core/index.js';
import { parsePlan } from './index.js';

const plan = (o: { health?: string; probe?: string; step?: string }): string => `name: paths
target: { baseUrl: "http://127.0.0.1:8080"${o.health === undefined ? '' : `, health: ${JSON.stringify(o.health)}`} }
scenarios:
  s:
    executor: shared-iterations
    vus: 1
    iterations: 1
    steps:
      - group: g
        steps:
          - { name: r, request: { method: GET, path: ${JSON.stringify(o.step ?? '/ok')} } }
${o.probe === undefined ? '' : `hypothesis: [ { name: p, request: { method: GET, path: ${JSON.stringify(o.probe)} } } ]`}
`;

function issuesOf(text: string): PlanError['issues'] {
  try {
    parsePlan(text, 'paths.yaml');
  } catch (err) {
    if (err instanceof PlanError) return err.issues;
    throw err;
  }
  return [];
}

describe('request paths stay on target.baseUrl', () => {
  it.each([
    ['target.health', { health: '//10.1.2.3:18280/health' }, 'target.health', '10.1.2.3:18280'],
    ['a probe request.path', { probe: '//host.test/p' }, 'hypothesis.0.request.path', 'host.test'],
    ['a step path with a backslash', { step: '/\\\\evil.test/x' }, 'scenarios.s.steps.0.steps.0.request.path', 'evil.test'],
    ['a path with a tab that the URL parser drops', { health: '/\t/10.1.2.3/health' }, 'target.health', '10.1.2.3'],
  ] as const)('refuses %s that names another host, with its location and a hint', (_what, o, path, host) => {
    const issues = issuesOf(plan(o));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toContain(host);
    expect(issue?.hint).toMatch(/single "\/"/);
    expect(issue?.line).toBeGreaterThan(1);
  });

  it('refuses a path with a scheme (the schema already asks for a leading "/")', () => {
    const issues = issuesOf(plan({ probe: 'http://10.9.9.9/p' }));
    expect(issues.find((i) => i.path === 'hypothesis.0.request.path')?.message).toMatch(/must start with "\/"/);
  });

  it('accepts ordinary and templated paths', () => {
    expect(issuesOf(plan({ health: '/health', probe: '/fhir/Patient?name=x', step: '/fhir/Patient/{{ uuid }}' }))).toEqual([]);
  });
});
