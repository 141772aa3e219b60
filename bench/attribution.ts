/**
 * @module bench: the after-run span analysis — 10 min at 100 requests/s as spans.ndjson (60 000 traces, 5 spans each),
 * read back and analysed (windows with self time, server p95 per second, slow-trace waterfalls). Reference: the same
 * file read back through the same store scan with nothing computed, timed in the same run. Also: heap growth and the
 * self-time accuracy against exact values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeSpans, createSpanStore, type SpanRecord } from '../collectors/index.js';

/** BENCH_SECONDS=3600 for an hour (≈ 4 min on a busy 2-core machine, mostly building the input). */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const RATE = 100;
const T0 = 1_700_000_000_000;
const FAULT = { startMs: (SECONDS / 3) * 1000, endMs: ((2 * SECONDS) / 3) * 1000 };

const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');

/** One request: api SERVER → (db SELECT ‖ cache GET) → ehr CLIENT → ehr SERVER. The EHR call is slow in the fault. */
function trace(n: number): SpanRecord[] {
  const at = Math.floor(n / RATE) * 1000 + (n % RATE) * (1000 / RATE);
  const ehr = at >= FAULT.startMs && at < FAULT.endMs ? 800 : 20;
  // Spread over the first 32 bits: the store's trace-id set hashes those (ids from a counter would all collide there).
  const traceId = `${hex(Math.imul(n + 1, 2654435761) >>> 0, 8)}${hex(n + 1, 24)}`;
  const base = { traceId, traceState: '', flags: 1, status: { code: 0 as const, message: '' }, attributes: {}, resource: {}, scope: { name: 'b', version: '1' }, events: [], links: [] };
  const s = (i: number, parent: number, service: string, name: string, kind: 1 | 2 | 3, start: number, durationMs: number): SpanRecord => ({
    ...base, spanId: hex(n * 8 + i, 16), parentSpanId: parent < 0 ? '' : hex(n * 8 + parent, 16), name, kind, service,
    startTimeUnixNano: '0', endTimeUnixNano: '0', startEpochMs: T0 + at + start, durationMs,
  });
  return [
    s(1, -1, 'api', 'POST /fhir/Encounter', 2, 0, 12 + ehr + 10),
    s(2, 1, 'api', 'pg.query SELECT', 3, 1, 6),
    s(3, 1, 'api', 'redis GET', 3, 2, 3),
    s(4, 1, 'api', 'HL7 ADT send', 3, 10, ehr + 4),
    s(5, 4, 'legacy-ehr', 'HL7 ADT receive', 2, 12, 4),
  ];
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-attribution-'));
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const store = createSpanStore({ spillDir: dir, maxSpansInMemory: 10_000 });
    const traces = SECONDS * RATE;
    for (let n = 0; n < traces; n++) store.addSpans(trace(n));
    store.flush();
    const spans = traces * 5;

    let start = performance.now();
    let seen = 0;
    for await (const _ of store.scanSpans()) seen++;
    const scanMs = performance.now() - start;

    // Peak heap while analysing, sampled (the pass yields at every read): the bounded-memory claim, in numbers.
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); }, 20);
    start = performance.now();
    const a = await analyzeSpans(store.scanSpans(), {
      originEpochMs: T0, windows: [{ name: 'baseline', startMs: 0, endMs: FAULT.startMs }, { name: 'fault:ehr', ...FAULT }],
    });
    const analyzeMs = performance.now() - start;
    clearInterval(sampler);
    const heapMb = (heapPeak - heapBefore) / 1024 / 1024;

    const send = a.windows[1]?.rows.find((r) => r.span === 'HL7 ADT send');
    // Exact self time of the send span in the fault: 804 ms − 4 ms of its child = 800 ms.
    const selfError = Math.abs((send?.self.p50Ms ?? 0) - 800) / 800;
    out(`attribution: ${spans.toLocaleString('en')} spans (${seen.toLocaleString('en')} read back), ${SECONDS} s, ${a.perSecond.length} service-seconds`);
    out(`  reference: scan spans.ndjson only    ${scanMs.toFixed(0)} ms`);
    out(`  analyzeSpans                         ${analyzeMs.toFixed(0)} ms  → ${(analyzeMs / scanMs).toFixed(2)}× the scan, ${(spans / (analyzeMs / 1000) / 1e6).toFixed(2)} M spans/s`);
    out(`  peak heap above the start            ${heapMb.toFixed(1)} MB (garbage included: an upper bound)`);
    out(`  self time p50 of the slowed span     ${send?.self.p50Ms.toFixed(1)} ms vs exact 800 ms → error ${(selfError * 100).toFixed(2)} % (sketch: 1 %)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
