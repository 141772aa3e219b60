import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { compareRuns } from './compare.js';
import { renderComparison } from './render.js';

describe('compareRuns', () => {
  const reference = evaluateRun(sampleRunInput());

  it('finds no regression between a run and an identical one', () => {
    const c = compareRuns(reference, evaluateRun(sampleRunInput()), 0.1);
    expect(c.regressions).toEqual([]);
    expect(c.changes.every((x) => x.direction === 'same')).toBe(true);
    expect(c.changes.length).toBeGreaterThan(40);
  });

  it('flags a made regression: 40 % slower everywhere, more errors in the fault, slower recovery', () => {
    const worse = evaluateRun(sampleRunInput({ slowdown: 1.4, faultErrorRate: 0.2, recoverySeconds: 12 }));
    const c = compareRuns(reference, worse, 0.1);
    const kinds = new Set(c.regressions.map((x) => x.kind));
    expect([...kinds].sort()).toEqual(['error-rate', 'p95', 'p99', 'recovery', 'resilience', 'slo']);
    const p95 = c.regressions.find((x) => x.kind === 'p95' && x.subject === 'clinicians GET /fhir/Patient/{id} [fault]');
    expect(p95!.after! / p95!.before!).toBeGreaterThan(1.3);
    const lines = renderComparison(c, 'runs/a', 'runs/b');
    expect(lines.at(-1)).toMatch(/✗ \d+ regression\(s\) beyond 10 % tolerance/);
  });

  it('lets the same change pass under a wide enough tolerance, and reports the reverse as better', () => {
    const slower = evaluateRun(sampleRunInput({ slowdown: 1.05 }));
    expect(compareRuns(reference, slower, 0.1).regressions.filter((x) => x.kind === 'p95')).toEqual([]);
    const faster = compareRuns(evaluateRun(sampleRunInput({ slowdown: 1.5 })), reference, 0.1);
    expect(faster.regressions.filter((x) => x.kind === 'p95')).toEqual([]);
    expect(faster.changes.some((x) => x.kind === 'p95' && x.direction === 'better')).toBe(true);
  });
});
