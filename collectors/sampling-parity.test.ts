/**
 * @module collectors: a sampled run and a keep-all run of the same spans (the same OTLP requests to two real
 * receivers) give the same statistics — per-phase aggregates, window rows (attribution's input), per-second server
 * p95, self time, trace assertions and PHI findings — while the sampled one keeps far fewer raw spans, every
 * error trace among them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunSpans } from '../test/support/spans.js';
import { analyzeSpans, startCollectors, type Collectors, type TraceAssertion } from './index.js';
import { hexId, traceRequestJson, type PayloadSpan } from './otlp/test-payloads.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = 1_700_000_000_000;
const SYNTHETIC = ['Marrowfield Test', 'CB-SYN-1-000042'];
const windows = [{ name: 'baseline', startMs: 0, endMs: 6000 }, { name: 'fault:ehr-slow', startMs: 6000, endMs: 12_000 }];
const assertion: TraceAssertion = { name: 'EHR calls fast', selector: { service: 'ehr', span: 'MLLP send' }, assert: { duration: 'p(95)<300ms', errorRate: '<5%' } };

/** 12 s at 40 requests/s: api SERVER (remote parent) → ehr MLLP send; slow during the fault; every 97th fails; every 5th carries a synthetic name. */
function requests(): { api: PayloadSpan[]; ehr: PayloadSpan[] } {
  const api: PayloadSpan[] = [];
  const ehr: PayloadSpan[] = [];
  for (let i = 0; i < 480; i++) {
    const at = i * 25;
    const ehrMs = at >= 6000 ? 400 + (i % 50) : 20 + (i % 9);
    const traceId = hexId(i + 1, 16);
    api.push({
      traceId, spanId: hexId(2 * i + 1, 8), parentSpanId: 'abcdefabcdefabcd', name: 'GET /fhir/Patient', kind: 2, startMs: T0 + at, durationMs: ehrMs + 8,
      attributes: i % 5 === 0 ? { 'url.query': `family=${SYNTHETIC[0]}` } : { 'url.query': 'family=x' },
    });
    ehr.push({ traceId, spanId: hexId(2 * i + 2, 8), parentSpanId: hexId(2 * i + 1, 8), name: 'MLLP send', kind: 3, startMs: T0 + at + 4, durationMs: ehrMs, ...(i % 97 === 0 ? { statusCode: 2 } : {}) });
  }
  return { api, ehr };
}

async function collectorsWith(keep: 'sampled' | 'all'): Promise<{ c: Collectors; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `cb-parity-${keep}-`));
  dirs.push(dir);
  const c = await startCollectors({
    runId: keep, port: 0, outDir: dir, spans: { keep, reservoir: 2 },
    phi: { syntheticValues: SYNTHETIC, compliance: { phiScan: 'on', onFinding: 'fail', allow: [] } }, traceAssertions: [assertion],
  });
  c.setOrigin(T0);
  c.setPhase('baseline', T0);
  c.setPhase('fault', T0 + 6000);
  return { c, dir };
}

async function post(c: Collectors, service: string, spans: PayloadSpan[]): Promise<void> {
  const res = await fetch(`${c.receiver.url}/v1/traces`, { method: 'POST', body: JSON.stringify(traceRequestJson(service, spans)), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
}

describe('sampled and keep-all runs of the same spans', { timeout: 60_000 }, () => {
  it('have the same statistics, attribution input, assertions and PHI findings; the sampled one keeps every error trace', async () => {
    const runs = [await collectorsWith('sampled'), await collectorsWith('all')];
    const { api, ehr } = requests();
    // As exporters send: batches of 40, the EHR's batch after the API's.
    for (let b = 0; b < 480; b += 40) {
      for (const { c } of runs) {
        await post(c, 'api', api.slice(b, b + 40));
        await post(c, 'ehr', ehr.slice(b, b + 40));
      }
    }
    const [sampled, all] = (await Promise.all(runs.map(({ c, dir }) => summarize(c, dir)))) as [Summary, Summary];

    // Exact: every figure comes from every span.
    expect(sampled.summary.aggregates).toEqual(all.summary.aggregates);
    expect(sampled.summary.selfTime).toEqual(all.summary.selfTime);
    expect(sampled.analysis.windows).toEqual(all.analysis.windows);
    expect(sampled.analysis.perSecond).toEqual(all.analysis.perSecond);
    expect(sampled.assertions).toEqual(all.assertions);
    expect(sampled.phi).toEqual(all.phi);
    expect(sampled.phi?.total).toBe(96); // every 5th of 480 requests, though most of those spans were not kept
    const fault = sampled.analysis.windows.find((w) => w.name === 'fault:ehr-slow');
    expect(fault?.traces).toBe(240);
    expect(fault?.rows.find((r) => r.span === 'MLLP send')?.self.p50Ms).toBeGreaterThan(400);

    // Raw spans: all of them, versus a sample that holds every error trace.
    expect(all.kept).toHaveLength(960);
    expect(sampled.kept.length).toBeLessThan(480);
    const keptTraces = new Set(sampled.kept.map((s) => s.traceId));
    const errorTraces = all.kept.filter((s) => s.status.code === 2).map((s) => s.traceId);
    expect(errorTraces.length).toBe(5);
    for (const id of errorTraces) expect(keptTraces.has(id)).toBe(true);
    const st = sampled.summary.store.sampling;
    expect(st).toMatchObject({ keep: 'sampled', tracesSeen: 480, spansSeen: 960, spansKept: sampled.kept.length });
    expect(st.byReason.error).toBe(5);
    // The slowest traces of each window were kept, so the waterfalls are the same ones.
    const slowest = (a: Summary) => a.analysis.slowTraces.filter((t) => t.source === 'slowest').map((t) => `${t.window} ${t.waterfall.traceId}`);
    expect(slowest(sampled)).toEqual(slowest(all));
  });
});

type Summary = Awaited<ReturnType<typeof summarize>>;

/** What each run is reduced to: its summary, the after-run analysis, ingest-time results and the kept spans. */
async function summarize(c: Collectors, dir: string) {
  return {
    summary: await c.close(),
    analysis: await analyzeSpans(c.store.scanSpans(), { originEpochMs: T0, windows, seconds: c.store.spanSeconds() }),
    phi: c.phi(), assertions: c.traceAssertions(), kept: await readRunSpans(dir),
  };
}
