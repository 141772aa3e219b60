/**
 * @module test/e2e: fault attribution end to end on the demo stack — a latency toxic on one dependency link and
 * the report names that dependency's span first; the slow traces are kept (tail sampling) and `codeblue trace` reads them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '../../collectors/index.js';
import type { FaultAttribution } from '../../reports/index.js';
import { executeGameDay, type GameDayOutcome } from '../../run/index.js';
import { drill, dropDrillSchemas } from './game-day-fixture.js';

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'cb-e2e-attribution-'));
});
afterAll(async () => {
  await dropDrillSchemas();
  if (out) rmSync(out, { recursive: true, force: true });
}, 60_000);

/** A short fragile drill with one latency toxic on `proxy` for the 6 s of the fault phase. */
async function latencyDrill(proxy: 'ehr' | 'postgres', latencyMs: number): Promise<GameDayOutcome> {
  const d = await drill({
    name: `attribution-${proxy}`, preset: 'fragile', phases: { baseline: 5, fault: 6, recovery: 2 }, rate: 4,
    faults: [{ name: `${proxy}-slow`, proxy, at: 'fault+0s', duration: '6s', toxic: 'latency', attributes: { latency: latencyMs } }],
  });
  return executeGameDay(d.plan, { outRoot: out });
}

function attributionOf(run: GameDayOutcome, fault: string): FaultAttribution {
  const a = run.results.attribution?.find((x) => x.fault === fault);
  expect(a, JSON.stringify(run.results.attribution)).toBeDefined();
  return a as FaultAttribution;
}

describe('fault attribution against the demo stack', { timeout: 150_000 }, () => {
  it('a latency toxic on the EHR link: the HL7 send span to the EHR takes most of the added time, and its slow traces read back', async () => {
    const run = await latencyDrill('ehr', 1500);
    const a = attributionOf(run, 'ehr-slow');
    const top = a.rows[0];
    expect(top?.span, JSON.stringify(a.rows.slice(0, 3))).toMatch(/^HL7 .* send$/);
    expect(top?.kind).toBe('client');
    expect(top?.share ?? 0).toBeGreaterThan(0.5);
    expect(top?.selfP95DeltaMs ?? 0).toBeGreaterThan(1000);
    expect(a.faultTraces).toBeGreaterThan(0);
    expect(a.baselineTraces).toBeGreaterThan(0);

    // The report's at-a-glance line names it; the HTML has its table and a waterfall per slow trace.
    const html = (await import('node:fs')).readFileSync(join(run.runDir, 'report.html'), 'utf8');
    expect(html).toMatch(/`ehr-slow`: [+−][^,]+ p95, \d+ % of it in `[^`]+ HL7 [^`]+ send`/);
    const traces = run.results.traces ?? [];
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) expect(html).toContain(`id="waterfall-${t.traceId}"`);
    // The fault window's slowest requests (exemplars) are drawn too, linked by their trace ids.
    const slowestRequests = (run.results.exemplars?.['fault:ehr-slow']?.slowest ?? []).slice(0, 3).map((e) => e.traceId);
    expect(slowestRequests.length).toBeGreaterThan(0);
    const drawnExemplars = traces.filter((t) => t.source === 'exemplar').map((t) => t.traceId);
    expect(drawnExemplars.length).toBeGreaterThan(0);
    for (const id of drawnExemplars) {
      expect(slowestRequests).toContain(id);
      expect(html).toContain(`<a href="#waterfall-${id}">`);
    }

    // Each slow trace is in the kept span files, and its critical path runs through the EHR call.
    const w = await readTrace(run.runDir, traces[0]!.traceId);
    expect(w.spans.length).toBe(traces[0]!.spans.length + traces[0]!.omitted);
    expect(w.spans.filter((s) => s.critical).map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^HL7 .* send$/)]));

    // Charts' data: server span p95 per second per service, requests counted by their intended start.
    const services = Object.values(run.results.timeline.services);
    expect(services.length).toBeGreaterThan(0);
    const counted = run.results.timeline.overall.requestsByIntendedStart ?? [];
    expect(counted.reduce((x, y) => x + y, 0)).toBe(run.results.phaseTables.find((t) => t.scope === 'run')?.total.count);
  });

  it('a latency toxic on the Postgres link: a database span takes most of the added time', async () => {
    const run = await latencyDrill('postgres', 150);
    const a = attributionOf(run, 'postgres-slow');
    const top = a.rows[0];
    expect(top?.span, JSON.stringify(a.rows.slice(0, 3))).toMatch(/^pg\./);
    expect(top?.kind).toBe('client');
    // Each request runs several queries: together the database spans take most of the added time.
    const db = a.rows.filter((r) => r.span.startsWith('pg.')).reduce((sum, r) => sum + (r.share ?? 0), 0);
    expect(db, JSON.stringify(a.rows.map((r) => [r.service, r.span, r.share]))).toBeGreaterThan(0.5);
  });
});
