/** @module reports/evaluate: the verdict first, the rest of the results after, then the span pass — the same results.json as one evaluation with everything. */
import { describe, expect, it } from 'vitest';
import { addSpanAnalysis, evaluateRun, startEvaluation, type RunEvaluationInput } from '../index.js';
import { sampleRunInput } from '../testing/sample-run.js';

/** The input as it stands when the verdict is said: aggregates and sampling, no span pass yet. */
function beforeThePass(input: RunEvaluationInput): RunEvaluationInput {
  const { perSecond: _p, windows: _w, slowTraces: _s, ...early } = input.spans ?? { aggregates: [] };
  return { ...input, spans: early };
}

const json = (x: unknown): string => JSON.stringify(x, null, 2);

describe('addSpanAnalysis', { timeout: 30_000 }, () => {
  it('writes the same results.json, byte for byte, as evaluating once with the span pass in the input', () => {
    const full = sampleRunInput({ seconds: 120, endpoints: 5, rate: 20 });
    const said = evaluateRun(beforeThePass(full));
    const { perSecond, windows, slowTraces } = full.spans ?? { aggregates: [] };
    const added = addSpanAnalysis(said, { perSecond, windows, slowTraces });
    expect(added.attribution?.length).toBeGreaterThan(0);
    expect(added.traces?.length).toBeGreaterThan(0);
    expect(Object.keys(added.timeline.services)).toEqual(['fhir-api', 'ehr-adapter']);
    expect(json(added)).toBe(json(evaluateRun(full)));
  });

  it('changes only what the span pass adds: services per second, attribution, waterfalls', () => {
    const full = sampleRunInput({ seconds: 90 });
    const said = evaluateRun(beforeThePass(full));
    const { perSecond, windows, slowTraces } = full.spans ?? { aggregates: [] };
    const added = addSpanAnalysis(said, { perSecond, windows, slowTraces });
    const { timeline: t1, attribution: _a, traces: _t, ...rest1 } = added;
    const { timeline: t0, attribution, traces, ...rest0 } = said;
    expect([attribution, traces, t0.services]).toEqual([undefined, undefined, {}]);
    expect(rest1).toEqual(rest0);
    expect({ ...t1, services: {} }).toEqual(t0);
  });

  it('takes the journal as it ends (an incident noted after the verdict), and without a span pass keeps the rest', () => {
    const full = sampleRunInput({ seconds: 60 });
    const early = beforeThePass(full);
    const last = full.journal.at(-1);
    const incident = { time: last?.time ?? '', offsetMs: last?.offsetMs ?? 0, action: 'incident' as const, outcome: 'error' as const, reason: 'analysing the spans: EACCES' };
    const journal = [...full.journal, incident];
    const added = addSpanAnalysis(evaluateRun(early), {}, journal);
    expect(json(added)).toBe(json(evaluateRun({ ...early, journal })));
    expect(added.journal.at(-1)?.reason).toBe('analysing the spans: EACCES');
    expect(added.attribution).toBeUndefined();
  });
});

describe('startEvaluation', { timeout: 30_000 }, () => {
  it('says the verdict the results say (status, exit code, verdicts, SLOs, the whole run\'s table), and results() is evaluateRun\'s', () => {
    const input = sampleRunInput({ seconds: 90, faultErrorRate: 0.2 });
    const evaluation = startEvaluation(input);
    const results = evaluation.results();
    expect(evaluation.verdict.meta).toEqual(results.meta);
    expect(evaluation.verdict.verdicts).toEqual(results.verdicts);
    expect(evaluation.verdict.slos).toEqual(results.slos);
    expect(evaluation.verdict.phaseTables).toEqual(results.phaseTables.filter((t) => t.scope === 'run'));
    expect(results.meta.status).toBe('failed');
    expect(evaluation.results()).toBe(results);
    expect(json(results)).toBe(json(evaluateRun(input)));
  });
});
