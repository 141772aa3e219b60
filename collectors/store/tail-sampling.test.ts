/** @module collectors/store: tail sampling in the span store — what is always kept, the reservoir's bound, late spans, stats unchanged. */
import { describe, expect, it } from 'vitest';
import { decodeExport } from '../otlp/decode.js';
import { hexId, traceRequestJson, type PayloadSpan } from '../otlp/test-payloads.js';
import type { SpanRecord } from '../otlp/types.js';
import { createSpanStore, type SpanStore } from './span-store.js';

const T0 = 1_700_000_000_000;

function records(service: string, spans: PayloadSpan[]): SpanRecord[] {
  const d = decodeExport('traces', 'json', Buffer.from(JSON.stringify(traceRequestJson(service, spans))));
  return d.signal === 'traces' ? d.result.records : [];
}

/** Request n at run offset `at` ms: an api SERVER span whose parent is the load's (never received) client span, and an ehr child. */
function request(n: number, at: number, ms: number, error = false): SpanRecord[] {
  const traceId = hexId(n, 16);
  return [
    ...records('api', [{ traceId, spanId: hexId(n * 2, 8), parentSpanId: 'ffffffffffffffff', name: 'GET /fhir/Patient', kind: 2, startMs: T0 + at, durationMs: ms + 5 }]),
    ...records('ehr', [{ traceId, spanId: hexId(n * 2 + 1, 8), parentSpanId: hexId(n * 2, 8), name: 'MLLP send', kind: 3, startMs: T0 + at + 2, durationMs: ms, ...(error ? { statusCode: 2 } : {}) }]),
  ];
}

/** A store on a manual arrival clock; 100 requests a second for `seconds`, arriving as they start. */
function run(keep: 'sampled' | 'all', seconds: number, opts: { isExemplar?: (id: string) => boolean; reservoir?: number } = {}): { store: SpanStore; clock: { t: number } } {
  const clock = { t: T0 };
  const store = createSpanStore({ now: () => clock.t, spans: { keep, reservoir: opts.reservoir ?? 5, decisionWait: 1000 as never }, ...(opts.isExemplar ? { isExemplar: opts.isExemplar } : {}) });
  store.setOrigin(T0);
  for (let i = 0; i < seconds * 100; i++) {
    clock.t = T0 + i * 10;
    // Request 150 is an error; every 100th is slow.
    store.addSpans(request(i, i * 10, i % 100 === 42 ? 900 : 10 + (i % 7), i === 150));
  }
  clock.t += 10_000;
  store.flush();
  return { store, clock };
}

async function keptTraces(store: SpanStore): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const s of store.scanSpans()) ids.add(s.traceId);
  return ids;
}

describe('tail sampling', () => {
  it('keeps every error trace, every exemplar trace and the slowest of each second, and a bounded random reservoir', async () => {
    const exemplar = hexId(333, 16);
    const { store } = run('sampled', 10, { isExemplar: (id) => id === exemplar });
    const kept = await keptTraces(store);
    expect(kept.has(hexId(150, 16))).toBe(true); // the error
    expect(kept.has(exemplar)).toBe(true);
    for (let s = 0; s < 10; s++) expect(kept.has(hexId(s * 100 + 42, 16))).toBe(true); // each second's slowest
    const st = store.stats().sampling;
    expect(st).toMatchObject({ keep: 'sampled', tracesSeen: 1000, spansSeen: 2000 });
    expect(st.tracesKept).toBe(kept.size);
    expect(st.byReason.error).toBe(1);
    expect(st.byReason.exemplar).toBe(1);
    // The reservoir never passes its rate: 5 a second of arrival, over about 10 seconds.
    expect(st.byReason.reservoir).toBeGreaterThan(0);
    expect(st.byReason.reservoir).toBeLessThanOrEqual(5 * 11);
    expect(st.tracesKept).toBeLessThan(400); // far fewer than the 1000 seen
    // Every kept trace is whole: both of its spans.
    let spans = 0;
    for await (const _ of store.scanSpans()) spans++;
    expect(spans).toBe(kept.size * 2);
  });

  it('gives the same per-second statistics, window rows and self time whether it keeps all or samples', async () => {
    const all = run('all', 5).store;
    const sampled = run('sampled', 5).store;
    const windows = [{ name: 'baseline', startMs: 0, endMs: 2000 }, { name: 'fault:x', startMs: 2000, endMs: 5000 }];
    expect(sampled.spanSeconds().windows(windows)).toEqual(all.spanSeconds().windows(windows));
    expect(sampled.spanSeconds().perSecond()).toEqual(all.spanSeconds().perSecond());
    expect(sampled.selfTime()).toEqual(all.selfTime());
    expect(sampled.aggregates()).toEqual(all.aggregates());
    const base = all.spanSeconds().windows(windows)[0];
    expect(base?.traces).toBe(200);
    expect(base?.rows.find((r) => r.span === 'MLLP send')?.count).toBe(200);
    expect((await keptTraces(all)).size).toBe(500);
  });

  it('keeps a late span with its kept trace, and a late error span alone; drops other late spans of a dropped trace', async () => {
    const clock = { t: T0 };
    const store = createSpanStore({ now: () => clock.t, spans: { keep: 'sampled', reservoir: 0, slowestPerSecond: 0, decisionWait: 1000 as never } });
    store.setOrigin(T0);
    store.addSpans(request(1, 0, 10, true)); // kept: error
    store.addSpans(request(2, 5, 10)); // dropped: nothing keeps it
    clock.t += 2000;
    store.addSpans([]);
    store.flush();
    const late = (n: number, error: boolean): SpanRecord[] => records('db', [{ traceId: hexId(n, 16), spanId: hexId(900 + n, 8), parentSpanId: hexId(n * 2 + 1, 8), startMs: T0 + 4, durationMs: 1, ...(error ? { statusCode: 2 } : {}) }]);
    store.addSpans([...late(1, false), ...late(2, false)]);
    store.flush();
    store.addSpans(records('db', [{ traceId: hexId(2, 16), spanId: hexId(999, 8), parentSpanId: hexId(5, 8), startMs: T0 + 4, durationMs: 1, statusCode: 2 }]));
    store.flush();
    const kept: string[] = [];
    for await (const s of store.scanSpans()) kept.push(s.spanId);
    expect(kept.sort()).toEqual([hexId(2, 8), hexId(3, 8), hexId(901, 8), hexId(999, 8)].sort());
    expect(store.stats().sampling).toMatchObject({ tracesSeen: 2, tracesKept: 1, spansSeen: 7, spansKept: 4 });
    // The late fragments are not new requests.
    expect(store.spanSeconds().windows([{ name: 'all', startMs: 0, endMs: 1000 }])[0]?.traces).toBe(2);
  });

  it('keeps no raw span with keep: none, and still has every statistic', async () => {
    const clock = { t: T0 };
    const store = createSpanStore({ now: () => clock.t, spans: { keep: 'none' } });
    store.setOrigin(T0);
    store.addSpans(request(1, 0, 10, true));
    store.flush();
    expect((await keptTraces(store)).size).toBe(0);
    expect(store.spanSeconds().windows([{ name: 'all', startMs: 0, endMs: 1000 }])[0]?.rows.map((r) => [r.span, r.count, r.errors])).toEqual([
      ['GET /fhir/Patient', 1, 0], ['MLLP send', 1, 1],
    ]);
  });

  it('judges a trace once it is quiet after its entry span, without waiting for the end of the run', async () => {
    const clock = { t: T0 };
    const store = createSpanStore({ now: () => clock.t, spans: { keep: 'all', decisionWait: 1000 as never } });
    store.addSpans(request(1, 0, 10));
    expect(store.stats().tracesInMemory).toBe(1);
    clock.t += 500;
    store.addSpans([]);
    expect(store.stats().tracesInMemory).toBe(1); // not quiet long enough
    clock.t += 600;
    store.addSpans([]);
    expect(store.stats().tracesInMemory).toBe(0);
    expect(store.stats().sampling.tracesKept).toBe(1);
    store.flush();
  });
});
