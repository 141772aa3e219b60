/**
 * @module cli: `codeblue compare` is a release gate that is not flaky — runs drawn from the same latency
 * distribution, recorded through the real MetricStore and written as real run folders, pass; a real shift fails.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../test/support/cli.js';
import { MetricRecorder, MetricStore, millis, writeMetrics } from '../../core/index.js';
import { compareRuns, evaluateRun, latencyCountsOf, writeReports, type RunResults } from '../../reports/index.js';
import { loadQueryOf } from '../../run/index.js';

const PHASES = [{ name: 'baseline', startMs: 0, endMs: 30_000 }, { name: 'fault', startMs: 30_000, endMs: 60_000 }, { name: 'recovery', startMs: 60_000, endMs: 90_000 }];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * 90 s at 50 req/s over two endpoints; latency log-normal (median 60 ms, σ 0.5: p99 ≈ 190 ms, like the issue's
 * 176 ms baseline p99), 1 % failures. `shiftMs` is added to every request of the baseline phase.
 */
function simulatedRun(seed: number, shiftMs = 0): { results: RunResults; store: MetricStore } {
  const store = new MetricStore();
  const recorder = new MetricRecorder(store);
  const random = rng(seed);
  for (let i = 0; i < 90 * 50; i++) {
    const at = i * 20;
    const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const durationMs = 60 * Math.exp(0.5 * gauss) + (at < 30_000 ? shiftMs : 0);
    const failed = random() < 0.01;
    recorder.recordRequest({
      scheduledAt: millis(at), startedAt: millis(at), scenario: 'clinicians', name: i % 2 ? 'GET /fhir/Patient/{id}' : 'GET /fhir/Observation',
      method: 'GET', group: '', status: failed ? 503 : 200, durationMs, correctedDurationMs: durationMs, failed,
      bytesSent: 100, bytesReceived: 1000, traceId: '0'.repeat(32),
    });
  }
  store.markEnd(90_000);
  store.compactAll();
  const results = evaluateRun({
    meta: { name: 'noise', runId: `r${seed}`, planFile: 'codeblue.yaml', target: 'http://127.0.0.1:8080', startedAt: '2026-12-01T00:00:00.000Z', endedAt: '2026-12-01T00:01:30.000Z', durationMs: 90_000 },
    phases: PHASES, faults: [], journal: [], slos: [], thresholds: [], load: loadQueryOf(store),
  });
  return { results, store };
}

async function runFolder(root: string, name: string, seed: number, shiftMs = 0): Promise<string> {
  const dir = join(root, name);
  mkdirSync(join(dir, 'samples'), { recursive: true });
  const { results, store } = simulatedRun(seed, shiftMs);
  writeReports(dir, results, ['json']);
  await writeMetrics(store, join(dir, 'samples', 'metrics.ndjson'));
  return dir;
}

const cli = (args: string[]): Promise<CliResult> => runCli(args);

describe('compare: noise-aware release gate', { timeout: 180_000 }, () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'codeblue-compare-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes 8 pairs of runs drawn from the same distribution, which a size-only 10 % rule would flag', () => {
    let flaggedBySizeOnly = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const a = simulatedRun(seed);
      const b = simulatedRun(seed + 1000);
      const gate = compareRuns(a.results, b.results, { tolerance: 0.1, latency: { a: latencyCountsOf(a.store), b: latencyCountsOf(b.store) } });
      expect(gate.regressions.map((r) => `${r.kind} ${r.subject} ${r.before}→${r.after} p=${r.pValue}`), `seed ${seed}`).toEqual([]);
      // The old rule: 10 % and a 1 ms floor, no test.
      const sizeOnly = compareRuns(a.results, b.results, { tolerance: 0.1, minDeltaMs: 1, confidence: 0.5, latency: { a: latencyCountsOf(a.store), b: latencyCountsOf(b.store) } });
      if (sizeOnly.changes.some((c) => (c.kind === 'p99' || c.kind === 'p95') && c.after! > c.before! * 1.1 && c.after! - c.before! > 1)) flaggedBySizeOnly++;
    }
    expect(flaggedBySizeOnly).toBeGreaterThan(0);
  });

  it('flags a real +40 ms shift in the baseline, tested on the histograms', () => {
    const a = simulatedRun(7);
    const b = simulatedRun(8, 40);
    const gate = compareRuns(a.results, b.results, { tolerance: 0.1, latency: { a: latencyCountsOf(a.store), b: latencyCountsOf(b.store) } });
    const p95 = gate.regressions.filter((r) => r.kind === 'p95').map((r) => [r.subject, r.evidence]);
    expect(p95).toEqual(expect.arrayContaining([['clinicians GET /fhir/Patient/{id} [baseline]', 'histograms'], ['clinicians GET /fhir/Observation [baseline]', 'histograms']]));
    expect(gate.regressions.every((r) => r.subject.endsWith('[baseline]') || r.subject.endsWith('[run]'))).toBe(true);
  });

  it('exits 0 for two same-distribution run folders and 1 for a shifted one; explains the rule in --help; rejects bad flags', async () => {
    const a = await runFolder(root, 'a', 11);
    const same = await runFolder(root, 'same', 12);
    const shifted = await runFolder(root, 'shifted', 13, 40);
    const ok = await cli(['compare', a, same]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toContain('✓ no regression beyond 10 % tolerance, 25 ms minimum, 99 % confidence');
    const bad = await cli(['compare', a, shifted]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ worse\s+p95\s+clinicians GET \/fhir\/Patient\/\{id\} \[baseline\] .* p=<0\.001 \(histograms\)/);
    const strict = await cli(['compare', a, shifted, '--min-delta', '1s']);
    expect(strict.stdout).not.toMatch(/✗ worse\s+p9/);
    const help = await cli(['compare', '--help']);
    expect(help.stdout).toContain('--min-delta <duration>');
    expect(help.stdout).toContain('two-proportion z-test');
    for (const flag of [['--min-delta', 'soon'], ['--confidence', '120%']]) {
      const r = await cli(['compare', a, same, ...flag]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('    at ');
    }
  });
});
