/**
 * @module test/e2e: exemplars end to end — a game day against a target that emits OTLP traces. The slowest and
 * near-percentile requests in results.json carry trace ids found in the kept span files, whose SERVER spans hold the delay
 * the server added, as do the requests' durations; the HTML report anchors each as `trace-<id>` and summary.md lists the top 3.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pickPort } from '../support/ports.js';
import { readRunSpans } from '../support/spans.js';
import { parsePlan } from '../../plan/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay } from '../../run/index.js';
import { REPO_ROOT } from './game-day-fixture.js';

const out = mkdtempSync(join(tmpdir(), 'cb-e2e-exemplars-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface SpanLine {
  readonly traceId: string;
  readonly kind: number;
  readonly durationMs: number;
  readonly attributes: Record<string, unknown>;
}

async function planFor() {
  const port = await pickPort();
  const doc = {
    name: 'exemplar-drill',
    target: {
      baseUrl: `http://127.0.0.1:${port}`, start: `${JSON.stringify(process.execPath)} test/e2e/fixtures/traced-delay-app.cjs --port ${port}`,
      cwd: REPO_ROOT, health: '/health', healthTimeout: '30s', env: { OTEL_BSP_SCHEDULE_DELAY: '200' },
    },
    phases: { baseline: '2s', fault: '2s', recovery: '2s' },
    scenarios: {
      open: {
        executor: 'constant-arrival-rate', rate: 15, timeUnit: '1s', duration: '6s', preAllocatedVUs: 10, maxVUs: 40,
        steps: [{ name: 'work', request: { method: 'GET', path: '/work' } }],
      },
    },
    collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
    safety: { maxDuration: '1m', maxRequests: 2000 },
    outputs: ['json', 'html', 'markdown'],
  };
  return parsePlan(`${JSON.stringify(doc, null, 2)}\n`, 'exemplar-drill.yaml');
}

describe('exemplars in a game day with a traced target', { timeout: 90_000 }, () => {
  it('links the slowest and near-percentile requests to their server spans, which tail sampling kept', async () => {
    const outcome = await executeGameDay(await planFor(), { outRoot: out });
    const results = JSON.parse(readFileSync(join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    const spans = (await readRunSpans(outcome.runDir)) as unknown as SpanLine[];
    const server = new Map(spans.filter((s) => s.kind === 2).map((s) => [s.traceId, s]));

    const ex = results.exemplars;
    expect(Object.keys(ex ?? {}).sort()).toEqual(['baseline', 'fault', 'recovery', 'run']);
    const run = ex?.run;
    const endpoint = run?.endpoints[0];
    expect(run?.endpoints.map((e) => e.request)).toEqual(['/work']);
    expect(run?.slowest.length).toBe(5);
    // The slowest request is the run's maximum.
    const max = results.phaseTables.find((t) => t.scope === 'run')?.total.maxMs ?? Number.NaN;
    expect(run?.slowest[0]?.durationMs).toBeCloseTo(max, 1);
    const picked = [...(run?.slowest ?? []), ...[endpoint?.near.p50, endpoint?.near.p95, endpoint?.near.p99].filter((e) => e != null)];
    expect(picked.length).toBe(8);
    for (const e of picked) {
      const span = server.get(e.traceId);
      expect(span, `SERVER span of exemplar ${e.traceId} in the kept spans`).toBeDefined();
      // The server's deliberate delay happened inside both its span and the request (causal, whatever the load).
      // The span itself may end a little after the client read the response (it ends on the socket's 'close').
      const delay = Number(span?.attributes['app.delay_ms']);
      // The app times its delay with a millisecond timer, the span and the request with hrtime: 1 ms of slack.
      expect(delay).toBeLessThanOrEqual((span?.durationMs ?? -2) + 1);
      expect(delay).toBeLessThanOrEqual(e.durationMs + 1);
      expect(e.correctedDurationMs).toBeGreaterThanOrEqual(e.durationMs);
      expect(e.startMs).toBeGreaterThanOrEqual(e.intendedStartMs);
      expect(e.status).toBe(200);
    }
    // Slowest first; each phase's exemplars started in that phase.
    const durations = run?.slowest.map((e) => e.durationMs) ?? [];
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    for (const phase of ['baseline', 'fault', 'recovery'] as const) {
      const w = ex?.[phase];
      for (const e of w?.slowest ?? []) {
        expect(e.intendedStartMs).toBeGreaterThanOrEqual(w?.startMs ?? Infinity);
        expect(e.intendedStartMs).toBeLessThan(w?.endMs ?? -1);
      }
    }

    const html = readFileSync(join(outcome.runDir, 'report.html'), 'utf8');
    for (const e of run?.slowest ?? []) expect(html).toContain(`id="trace-${e.traceId}"`);
    const md = readFileSync(join(outcome.runDir, 'summary.md'), 'utf8');
    for (const e of (run?.slowest ?? []).slice(0, 3)) expect(md).toContain(e.traceId);
    expect(md).not.toContain(run?.slowest[3]?.traceId ?? 'none');
  });
});
