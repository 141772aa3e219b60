/** @module reports/evaluate: `slos[].scope` decides which windows gate; `compliance` decides what PHI findings do. */
import { describe, expect, it } from 'vitest';
import { millis } from '../../core/index.js';
import type { PhiScanResult } from '../../collectors/index.js';
import { checkResults } from '../results/validate.js';
import { createHistogramLoad } from '../testing/histogram-load.js';
import { renderHtml } from '../writers/html.js';
import { renderJunit } from '../writers/junit.js';
import { renderMarkdown } from '../writers/markdown.js';
import { evaluateRun } from './evaluate-run.js';
import type { RunEvaluationInput } from './input.js';
import type { SloSpec } from '../slo/schema.js';

/** 100 s at 10 req/s; 2 of 10 requests fail in the fault (30–50 s): run 96 % good, fault 80 %, baseline and recovery 100 %. */
function run(slo: Partial<SloSpec>, o: { phases?: boolean; phi?: PhiScanResult } = {}): RunEvaluationInput {
  const load = createHistogramLoad();
  for (let s = 0; s < 100; s++) {
    for (let i = 0; i < 10; i++) {
      const failed = s >= 30 && s < 50 && i < 2;
      load.record({ atMs: s * 1000 + i * 100, scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', status: failed ? 503 : 200, durationMs: 10, failed });
    }
  }
  const phases = o.phases === false ? [] : [{ name: 'baseline', startMs: 0, endMs: 30_000 }, { name: 'fault', startMs: 30_000, endMs: 50_000 }, { name: 'recovery', startMs: 50_000, endMs: 100_000 }];
  return {
    meta: { name: 'scopes', runId: 'r1', planFile: 'codeblue.yaml', target: 'http://127.0.0.1:8080', startedAt: '2026-11-25T10:00:00.000Z', endedAt: '2026-11-25T10:01:40.000Z', durationMs: 100_000 },
    phases, faults: o.phases === false ? [] : [{ name: 'ehr-latency', proxy: 'ehr', toxic: 'latency', startMs: 30_000, endMs: 50_000 }],
    journal: [],
    slos: [{ name: 'availability', objective: 0.95, sli: 'availability', window: millis(30 * 86_400_000), ...slo }],
    thresholds: [], load, ...(o.phi ? { phi: o.phi } : {}),
  };
}

describe('slos[].scope', () => {
  it.each([
    ['all-windows', false, ['run', 'baseline', 'fault', 'recovery', 'fault:ehr-latency']],
    ['run', true, ['run']],
    ['phases', false, ['baseline', 'fault', 'recovery']],
    ['steady-state', true, ['baseline', 'recovery']],
    ['baseline', true, ['baseline']],
  ] as const)('scope %s: passes=%s, gating windows %j', (scope, pass, gating) => {
    const r = evaluateRun(run({ scope }));
    const slo = r.slos[0]!;
    expect(slo.scope).toBe(scope);
    expect(slo.pass).toBe(pass);
    expect(slo.scopes.filter((s) => s.gating).map((s) => s.scope)).toEqual(gating);
    expect(r.meta.exitCode).toBe(pass ? 0 : 1);
    // The fault window fails in every scope; outside the scope it is reported, as information.
    const fault = r.verdicts.find((v) => v.kind === 'slo' && v.phase === 'fault')!;
    expect(fault.pass).toBe(false);
    expect(fault.gating).toBe((gating as readonly string[]).includes('fault') ? undefined : false);
    expect(checkResults(JSON.parse(JSON.stringify(r))).ok).toBe(true);
  });

  it('defaults to all-windows, and gates on the whole run when the plan has no phases', () => {
    expect(evaluateRun(run({})).slos[0]!.scope).toBe('all-windows');
    const plain = evaluateRun(run({ scope: 'baseline' }, { phases: false }));
    expect(plain.slos[0]!.scopes.map((s) => [s.scope, s.gating])).toEqual([['run', true]]);
  });

  it('says in every report which windows gate, and shows the others as information', () => {
    const r = evaluateRun(run({ scope: 'steady-state' }));
    expect(renderHtml(r)).toContain('Gates on baseline and recovery');
    expect(renderHtml(r)).toMatch(/<tr class="info"><td>fault<\/td><td><small>information<\/small><\/td>/);
    const md = renderMarkdown(r);
    expect(md).toContain('| availability | 95 % | steady-state |');
    expect(md).toMatch(/2 non-gating warning\(s\)/);
    expect(md).toContain('**All 3 gating checks passed.**');
    expect(renderJunit(r)).toMatch(/<testsuites [^>]*failures="0"/);
    expect(renderJunit(r)).toContain('not gating (information only): fault: 80 % good');
  });
});

function phi(scan: 'on' | 'off', onFinding: 'fail' | 'warn', total: number): PhiScanResult {
  const groups = total === 0 ? [] : [{ rule: 'synthetic' as const, service: 'fhir-api', key: 'url.query', location: 'span.attribute', count: total, traceIds: ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)], masked: '****=***th' }];
  return {
    scan, onFinding, findings: [], total, allowed: 3, groups, ungrouped: 0,
    byRule: { synthetic: total, ssn: 0, mrn: 0, phone: 0, email: 0, secret: 0, bearer: 0, jwt: 0 }, scannedSpans: scan === 'on' ? 700 : 0, scannedLogs: 0,
  };
}

describe('compliance: PHI findings in the verdict and the reports', () => {
  it('fails the run on a finding by default, one verdict per group with its count and first traces', () => {
    const r = evaluateRun(run({ scope: 'run' }, { phi: phi('on', 'fail', 690) }));
    expect(r.meta.exitCode).toBe(1);
    const v = r.verdicts.filter((x) => x.kind === 'phi');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ name: 'no PHI in telemetry: synthetic in fhir-api url.query', pass: false, observed: 690 });
    expect(v[0]!.message).toContain('690 finding(s) at span.attribute, e.g. ****=***th; trace aaaaaaaaaaaa, bbbbbbbbbbbb, cccccccccccc, …');
    expect(r.phi).toMatchObject({ scan: 'on', onFinding: 'fail', total: 690, allowed: 3, groups: [{ count: 690 }] });
    const html = renderHtml(r);
    expect(html.match(/<table class="phi-groups">[\s\S]*?<\/table>/)![0].match(/<tr>/g)).toHaveLength(2); // header + one group row
    expect(renderJunit(r)).toMatch(/<testsuite name="PHI scan" tests="1" failures="1"/);
    expect(checkResults(JSON.parse(JSON.stringify(r))).ok).toBe(true);
  });

  it('reports but does not fail on findings under onFinding: warn', () => {
    const r = evaluateRun(run({ scope: 'run' }, { phi: phi('on', 'warn', 690) }));
    expect(r.meta).toMatchObject({ status: 'passed', exitCode: 0 });
    expect(r.verdicts.find((x) => x.kind === 'phi')).toMatchObject({ pass: false, gating: false });
    expect(renderHtml(r)).toContain('warning only, does not fail the run (compliance.onFinding: warn)');
    expect(renderJunit(r)).toMatch(/<testsuite name="PHI scan" tests="1" failures="0"/);
    expect(renderMarkdown(r)).toContain('PHI in telemetry: 690 finding(s) in 1 group(s) (warning only), 3 allow-listed');
  });

  it('says the scan was off, and neither passes nor fails anything on it', () => {
    const r = evaluateRun(run({ scope: 'run' }, { phi: phi('off', 'fail', 0) }));
    expect(r.meta.exitCode).toBe(0);
    expect(r.phi).toMatchObject({ scan: 'off', total: 0 });
    expect(r.verdicts.find((x) => x.kind === 'phi')).toMatchObject({ pass: true, gating: false, message: 'not scanned: the plan sets compliance.phiScan: off' });
    expect(renderHtml(r)).toContain('PHI scan off (compliance.phiScan: off)');
    expect(renderMarkdown(r)).toContain('_PHI scan off (`compliance.phiScan: off`)');
    expect(checkResults(JSON.parse(JSON.stringify(r))).ok).toBe(true);
  });
});
