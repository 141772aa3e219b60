import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import type { RunResults } from '../results/types.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { renderJunit } from './junit.js';

const parse = (text: string): any =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(text);

describe('junit.xml', () => {
  const results = evaluateRun(sampleRunInput());
  const doc = parse(renderJunit(results));

  it('has one testsuite per verdict kind and one testcase per verdict, counts matching', () => {
    const root = doc.testsuites;
    expect(Number(root.tests)).toBe(results.verdicts.length);
    expect(Number(root.failures)).toBe(results.verdicts.filter((v) => !v.pass).length);
    expect(root.testsuite.map((s: any) => s.name)).toEqual(['SLOs', 'thresholds', 'checks', 'steady-state hypothesis', 'trace assertions', 'PHI scan', 'data ledger']);
    const cases = root.testsuite.flatMap((s: any) => s.testcase);
    expect(cases).toHaveLength(results.verdicts.length);
    for (const s of root.testsuite) expect(Number(s.failures)).toBe(s.testcase.filter((c: any) => c.failure).length);
  });

  it('puts the numbers into each failure', () => {
    const slos = doc.testsuites.testsuite[0].testcase;
    const fault = slos.find((c: any) => c.name === 'availability [fault:ehr-latency]');
    expect(fault.classname).toBe('codeblue.slo');
    expect(fault.failure.message).toContain('97.778 % good (880/900)');
    expect(fault.failure['#text']).toContain('expected: ≥ 99.95 %');
    const passing = slos.find((c: any) => c.name === 'patient reads fast');
    expect(passing.failure).toBeUndefined();
  });

  it('escapes names and drops characters XML cannot carry', () => {
    const tricky: RunResults = { ...results, verdicts: [{ kind: 'check', name: 'a <b> & "c"\u0001', phase: null, pass: false, observed: 0, expected: "'x'", message: '<&>' }] };
    const back = parse(renderJunit(tricky));
    const c = back.testsuites.testsuite[0].testcase[0];
    expect(c.name).toBe('a <b> & "c"');
    expect(c.failure.message).toBe('<&>');
  });
});
