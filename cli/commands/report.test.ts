import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../test/support/cli.js';
import { evaluateRun, sampleRunInput, writeReports } from '../../reports/index.js';


const cli = (args: string[]): Promise<CliResult> => runCli(args);

describe('codeblue report and compare', () => {
  const root = mkdtempSync(join(tmpdir(), 'codeblue-cli-report-'));
  const runA = join(root, 'a');
  const runB = join(root, 'b');
  const runSame = join(root, 'same');
  for (const dir of [runA, runB, runSame]) mkdirSync(dir);
  writeReports(runA, evaluateRun(sampleRunInput()), ['json']);
  writeReports(runSame, evaluateRun(sampleRunInput()), ['json']);
  writeReports(runB, evaluateRun(sampleRunInput({ slowdown: 1.5, recoverySeconds: 15 })), ['json']);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('re-renders all four outputs from results.json (exit 1: that run failed; 0 for a passing one)', async () => {
    const r = await cli(['report', runA]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    for (const f of ['report.html', 'junit.xml', 'summary.md', 'results.json']) expect(existsSync(join(runA, f)), f).toBe(true);
    expect(readFileSync(join(runA, 'summary.md'), 'utf8')).toMatch(/^### ❌ FAILED · ehr-outage-drill/);
    expect(r.stdout).toContain('wrote');
    const passing = join(root, 'passing');
    mkdirSync(passing);
    const input = sampleRunInput();
    writeReports(passing, evaluateRun({ ...input, slos: [], thresholds: [], checks: [], traceAssertions: [], phi: undefined, ledger: undefined }), ['json']);
    expect((await cli(['report', passing, '--format', 'html'])).code).toBe(0);
  }, 300_000);

  it('renders only the asked formats and rejects unknown ones (exit 2)', async () => {
    const only = await cli(['report', runSame, '--format', 'markdown']);
    expect(only.code).toBe(1);
    expect(existsSync(join(runSame, 'summary.md'))).toBe(true);
    expect(existsSync(join(runSame, 'report.html'))).toBe(false);
    const bad = await cli(['report', runSame, '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown report format "pdf"');
  }, 300_000);

  it('exits 2 with a clear message for a missing folder, a folder without results, and invalid results.json', async () => {
    const missing = await cli(['report', join(root, 'nope')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('CB_RUN_DIR_INVALID')]);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const noResults = await cli(['report', empty]);
    expect([noResults.code, noResults.stderr]).toEqual([2, expect.stringContaining('results.json is missing')]);
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'results.json'), '{"schemaVersion":1,"meta":{}}');
    const invalid = await cli(['report', broken]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('CB_RESULTS_INVALID');
    expect(invalid.stderr).not.toContain('    at ');
    writeFileSync(join(broken, 'results.json'), '{not json');
    expect((await cli(['report', broken])).stderr).toContain('is not JSON');
  }, 300_000);

  it('compare passes an equal run (exit 0) and flags a made regression (exit 1)', async () => {
    const same = await cli(['compare', runA, runSame]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('✓ no regression beyond 10 % tolerance');
    const worse = await cli(['compare', runA, runB, '--tolerance', '10%']);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/✗ worse\s+p95\s+clinicians GET \/fhir\/Patient\/\{id\} \[fault\]  .* p=<0.001 \(quantiles\)/);
    expect(worse.stdout).toMatch(/✗ worse\s+recovery\s+ehr-latency time to recover/);
    // A wide tolerance swallows the latency changes; verdicts that flipped to failing still count.
    const lenient = await cli(['compare', runA, runB, '--tolerance', '300%']);
    expect(lenient.stdout).not.toMatch(/✗ worse\s+p95/);
    expect(lenient.stdout).toContain('tolerance');
    const badFlag = await cli(['compare', runA, runB, '--tolerance', 'lots']);
    expect(badFlag.code).toBe(2);
  }, 300_000);
});
