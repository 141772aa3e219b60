/** @module collectors/traces: the after-run pass over the kept spans — windows, per-second p95, slow traces, read-back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeblueError } from '../../core/index.js';
import { decodeExport } from '../otlp/decode.js';
import { hexId, traceRequestJson, type PayloadSpan } from '../otlp/test-payloads.js';
import type { SpanRecord } from '../otlp/types.js';
import { createSpanStore } from '../store/span-store.js';
import { analyzeSpans } from './analyze-spans.js';
import { readTrace } from './read-trace.js';

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function records(service: string, spans: PayloadSpan[]): SpanRecord[] {
  const d = decodeExport('traces', 'json', Buffer.from(JSON.stringify(traceRequestJson(service, spans))));
  return d.signal === 'traces' ? d.result.records : [];
}

/** Trace n at run offset `at`: api SERVER root → ehr CLIENT call of `ehrMs` (the rest of 10 ms is api's own time). */
function request(n: number, at: number, ehrMs: number): SpanRecord[] {
  const traceId = hexId(n, 16);
  return [
    ...records('api', [{ traceId, spanId: hexId(n * 2, 8), name: 'POST /fhir/Encounter', kind: 2, startMs: T0 + at, durationMs: 10 + ehrMs }]),
    ...records('legacy-ehr', [{ traceId, spanId: hexId(n * 2 + 1, 8), parentSpanId: hexId(n * 2, 8), name: 'MLLP send', kind: 3, startMs: T0 + at + 5, durationMs: ehrMs }]),
  ];
}

const windows = [{ name: 'baseline', startMs: 0, endMs: 10_000 }, { name: 'fault:ehr-slow', startMs: 10_000, endMs: 20_000 }];

describe('analyzeSpans', () => {
  it('gives per window service × span counts, durations and self times, with the EHR call taking the added time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-analyze-'));
    dirs.push(dir);
    // A store that keeps only 7 spans in memory: most of the run is read back from the span files.
    const store = createSpanStore({ spillDir: dir, maxSpansInMemory: 7 });
    for (let i = 0; i < 20; i++) store.addSpans(request(i, i * 500, 20));
    for (let i = 20; i < 40; i++) store.addSpans(request(i, 10_000 + (i - 20) * 500, 500));
    store.flush();
    const a = await analyzeSpans(store.scanSpans(), { originEpochMs: T0, windows, maxPendingTraces: 3 });
    const row = (w: string, span: string) => a.windows.find((x) => x.name === w)?.rows.find((r) => r.span === span);
    expect(a.windows.map((w) => w.traces)).toEqual([20, 20]);
    expect(row('baseline', 'MLLP send')).toMatchObject({ service: 'legacy-ehr', count: 20, errors: 0 });
    expect(row('baseline', 'MLLP send')?.self.p50Ms).toBeCloseTo(20, 0);
    expect(row('fault:ehr-slow', 'MLLP send')?.self.p95Ms).toBeCloseTo(500, -1);
    // The API's own time stays 10 ms per request: its self time does not move, only its duration.
    expect(row('fault:ehr-slow', 'POST /fhir/Encounter')?.self.p50Ms).toBeCloseTo(10, 0);
    expect(row('fault:ehr-slow', 'POST /fhir/Encounter')?.duration.p50Ms).toBeCloseTo(510, -1);
  });

  it('gives server span p95 per service per second, and the slowest traces of each window as waterfalls', async () => {
    async function* spans(): AsyncGenerator<SpanRecord> {
      for (let i = 0; i < 40; i++) yield* request(i, i * 500, i < 20 ? 20 : 500 + i);
    }
    const a = await analyzeSpans(spans(), { originEpochMs: T0, windows, slowestPerWindow: 2 });
    const api = a.perSecond.filter((r) => r.service === 'api');
    expect(api).toHaveLength(20);
    expect(api[0]).toMatchObject({ startMs: 0, count: 2 });
    expect(api[0]?.p95Ms).toBeCloseTo(30, -1);
    expect(api[19]?.p95Ms).toBeGreaterThan(500);
    expect(a.perSecond.some((r) => r.service === 'legacy-ehr')).toBe(false); // client spans are not server latency
    const slow = a.slowTraces.filter((t) => t.window === 'fault:ehr-slow');
    expect(slow.map((t) => t.waterfall.traceId)).toEqual([hexId(39, 16), hexId(38, 16)]);
    expect(slow[0]?.waterfall.spans.map((s) => [s.service, s.critical])).toEqual([['api', true], ['legacy-ehr', true]]);
    expect(slow[0]?.startMs).toBe(19_500);
  });
});

describe('readTrace', () => {
  it('reads one trace back from the span files, and refuses a bad folder, a malformed id and an unknown id (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-trace-'));
    dirs.push(dir);
    const store = createSpanStore({ spillDir: dir });
    for (let i = 0; i < 5; i++) store.addSpans(request(i, i * 100, 40));
    store.flush();
    const w = await readTrace(dir, hexId(3, 16).toUpperCase());
    expect(w.spans.map((s) => [s.name, s.depth, Math.round(s.durationMs)])).toEqual([['POST /fhir/Encounter', 0, 50], ['MLLP send', 1, 40]]);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof CodeblueError ? `${e.code} ${e.exitCode}` : String(e)));
    expect(await codeOf(readTrace(join(dir, 'nope'), hexId(3, 16)))).toBe('CB_RUN_DIR_INVALID 2');
    expect(await codeOf(readTrace(dir, 'xyz'))).toBe('CB_USAGE 2');
    expect(await codeOf(readTrace(dir, hexId(99, 16)))).toBe('CB_TRACE_NOT_FOUND 2');
  });
});
