/**
 * @module test/e2e: tail sampling in a game day with a traced target (default `collectors.spans`: sampled) — every
 * error trace is kept, a synthetic name in the URL of every request is found by the PHI scan although most of those
 * spans were not kept, and results.json, report.html and summary.md state the rule with kept/seen counts.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunSpans } from '../support/spans.js';
import { pickPort } from '../support/ports.js';
import { parsePlan } from '../../plan/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay } from '../../run/index.js';
import { REPO_ROOT } from './game-day-fixture.js';

const out = mkdtempSync(join(tmpdir(), 'cb-e2e-sampling-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function planFor() {
  const port = await pickPort();
  const doc = {
    name: 'sampling-drill',
    target: {
      baseUrl: `http://127.0.0.1:${port}`, start: `${JSON.stringify(process.execPath)} test/e2e/fixtures/traced-delay-app.cjs --port ${port}`,
      cwd: REPO_ROOT, health: '/health', healthTimeout: '30s', env: { OTEL_BSP_SCHEDULE_DELAY: '200' },
    },
    phases: { baseline: '3s', fault: '2s', recovery: '2s' },
    scenarios: {
      open: {
        executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: '7s', preAllocatedVUs: 10, maxVUs: 40,
        steps: [{ name: 'work', request: { method: 'GET', path: '/work?family={{ synthetic.family }}' } }],
      },
      failing: {
        executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '7s', preAllocatedVUs: 2, maxVUs: 10,
        steps: [{ name: 'fail', request: { method: 'GET', path: '/fail', expectedStatuses: [500] } }],
      },
    },
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', spans: { reservoir: 1, slowestPerSecond: 1 } },
    compliance: { onFinding: 'warn' },
    safety: { maxDuration: '1m', maxRequests: 2000 },
    outputs: ['json', 'html', 'markdown'],
  };
  return parsePlan(`${JSON.stringify(doc, null, 2)}\n`, 'sampling-drill.yaml');
}

describe('tail sampling in a game day', { timeout: 90_000 }, () => {
  it('keeps every error trace, finds PHI in spans it did not keep, and states the rule and counts in every output', async () => {
    const outcome = await executeGameDay(await planFor(), { outRoot: out });
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    const s = results.spanSampling;
    expect(s?.keep).toBe('sampled');
    expect(s?.tracesSeen ?? 0).toBeGreaterThan(150);
    // What the rule keeps, not a share of what was seen: a starved machine makes more traces errors or slow (kept
    // rightly; 112 of 217 beside stress-ng), but the reservoir stays within its rate and some traces are dropped.
    const byReason = s?.byReason ?? { all: 0, error: 0, exemplar: 0, slowest: 0, reservoir: 0 };
    expect(s?.tracesKept).toBe(byReason.all + byReason.error + byReason.exemplar + byReason.slowest + byReason.reservoir);
    expect(byReason.all).toBe(0);
    expect(byReason.reservoir).toBeLessThanOrEqual((s?.reservoirPerSecond ?? 0) * (results.meta.durationMs / 1000 + 1));
    expect(s?.tracesKept ?? 0).toBeLessThan(s?.tracesSeen ?? 0);
    expect(s?.spansKept).toBeLessThan(s?.spansSeen ?? 0);

    const kept = await readRunSpans(outcome.runDir);
    expect(kept.length).toBe(s?.spansKept);
    expect(readdirSync(outcome.runDir).filter((f) => f.startsWith('spans'))).toEqual(['spans-0001.ndjson.gz']);
    // Every /fail request's SERVER span is ERROR, and each of those traces is kept.
    const keptIds = new Set(kept.map((k) => k.traceId));
    const errorsSeen = results.servicePhases.reduce((n, r) => n + r.errors, 0);
    expect(errorsSeen).toBeGreaterThan(5);
    expect(s?.byReason.error).toBe(errorsSeen);
    expect(kept.filter((k) => k.status.code === 2)).toHaveLength(errorsSeen);
    expect([...keptIds].length).toBe(s?.tracesKept);

    // The synthetic family name is in the URL of every `work` request's span: found in all of them, not only the kept ones.
    const withName = kept.filter((k) => /family=[A-Z]/.test(JSON.stringify(k.attributes))).length;
    const workRequests = results.phaseTables.find((t) => t.scope === 'run')?.rows.find((r) => r.scenario === 'open')?.count ?? 0;
    expect(workRequests).toBeGreaterThan(150);
    // (Less the few requests whose spans never reached the receiver: join.missing.)
    expect(results.phi?.total ?? 0).toBeGreaterThanOrEqual(workRequests - (results.join?.missing ?? 0));
    expect(results.phi?.total ?? 0).toBeGreaterThan(withName * 2);

    const html = readFileSync(join(outcome.runDir, 'report.html'), 'utf8');
    const md = readFileSync(join(outcome.runDir, 'summary.md'), 'utf8');
    const line = `Raw spans: ${s?.tracesKept.toLocaleString('en-US')} of ${s?.tracesSeen.toLocaleString('en-US')} traces kept`;
    expect(html).toContain(line);
    expect(md).toContain(line);
    expect(md).toContain('tail sampling: every trace with an error, every exemplar trace, the 1 slowest traces of each second and up to 1 random traces a second');
  });
});
