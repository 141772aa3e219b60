/** @module reports/results: results.json from before SLO scopes and grouped PHI findings still loads. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { loadRunResults } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'codeblue-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The current results, rewritten to the earlier v1 shape: phi.findings[], no slo scope, no window gating. */
function earlierShape(): Record<string, any> {
  const doc = JSON.parse(JSON.stringify(evaluateRun(sampleRunInput())));
  for (const slo of doc.slos) {
    delete slo.scope;
    for (const s of slo.scopes) delete s.gating;
  }
  const trace = (c: string): string => c.repeat(32);
  doc.phi = {
    total: 3, byRule: { synthetic: 2, ssn: 1 }, scannedSpans: 10, scannedLogs: 0,
    findings: [
      { location: 'span.attribute', traceId: trace('a'), spanName: 'GET', service: 'fhir-api', key: 'url.query', rule: 'synthetic', masked: '****=**th' },
      { location: 'span.attribute', traceId: trace('b'), spanName: 'GET', service: 'fhir-api', key: 'url.query', rule: 'synthetic', masked: '****=**th' },
      { location: 'span.attribute', traceId: trace('c'), spanName: 'ehr', service: 'ehr', key: 'ssn', rule: 'ssn', masked: '***-**-**89' },
    ],
  };
  return doc;
}

describe('loadRunResults on an earlier results.json', () => {
  it('groups the old PHI findings and gives old SLOs the all-windows scope', () => {
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify(earlierShape()));
    const r = loadRunResults(dir);
    expect(r.phi).toMatchObject({ scan: 'on', onFinding: 'fail', total: 3, allowed: 0, ungrouped: 0 });
    expect(r.phi!.groups.map((g) => [g.rule, g.service, g.key, g.count, g.traceIds.length])).toEqual([['synthetic', 'fhir-api', 'url.query', 2, 2], ['ssn', 'ehr', 'ssn', 1, 1]]);
    expect(r.slos.every((s) => s.scope === 'all-windows' && s.scopes.every((w) => w.gating))).toBe(true);
  });
});
