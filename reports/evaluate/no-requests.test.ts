/** @module reports/evaluate: the no-requests rule — a run whose load sent nothing never passes. */
import { describe, expect, it } from 'vitest';
import { sampleRunInput } from '../testing/sample-run.js';
import { evaluateRun } from './evaluate-run.js';

describe('no-requests verdict', () => {
  it('fails a run whose load sent no request, naming the render failures and the first error (exit 1)', () => {
    const base = sampleRunInput();
    const results = evaluateRun({ ...base, sent: { requests: 0, renderFailures: 40, firstRenderFailure: 'scenario "s", step "read": template value "{{ pid }}" is not defined' } });
    const v = results.verdicts.find((x) => x.kind === 'load');
    expect(v).toMatchObject({ name: 'requests were sent', pass: false, observed: 0 });
    expect(v?.message).toBe('no requests were sent: 40 request(s) failed to render; first: scenario "s", step "read": template value "{{ pid }}" is not defined');
    expect(results.meta.exitCode).toBe(1);
    expect(results.meta.status).toBe('failed');
  });

  it('says so when no iteration reached a request, and stays silent when requests were sent or the run was interrupted', () => {
    const base = sampleRunInput();
    const none = evaluateRun({ ...base, sent: { requests: 0, renderFailures: 0 } }).verdicts.find((x) => x.kind === 'load');
    expect(none?.message).toMatch(/^no requests were sent: no iteration reached a request/);
    expect(evaluateRun({ ...base, sent: { requests: 12, renderFailures: 3 } }).verdicts.some((x) => x.kind === 'load')).toBe(false);
    expect(evaluateRun({ ...base, meta: { ...base.meta, interrupted: true }, sent: { requests: 0, renderFailures: 0 } }).verdicts.some((x) => x.kind === 'load')).toBe(false);
  });
});
