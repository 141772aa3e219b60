/** @module collectors: an sdk-node app's server spans joined to the load requests that caused them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { millis, newSpanId, newTraceId, traceparent } from '../core/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestJoin, JOIN_GENERATION, joinRequests } from './join.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp/receiver.js';
import { createSpanStore, SERVER_TRACE_MEMORY } from './store/span-store.js';
import type { SpanRecord } from './otlp/types.js';

const APP = fileURLToPath(new URL('./fixtures/traced-app.cjs', import.meta.url));
let child: ChildProcess | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await receiver?.close();
});

async function startApp(otlpUrl: string): Promise<number> {
  child = spawn(process.execPath, [APP], { env: { ...process.env, OTLP_URL: otlpUrl, OTEL_NODE_RESOURCE_DETECTORS: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    out += chunk.toString();
    const m = /listening (\d+)/.exec(out);
    if (m) return Number(m[1]);
  }
  throw new Error(`app exited before listening: ${out}`);
}

describe('request ↔ trace join', () => {
  it('finds the server span of every request that reached an sdk-node app, and counts the rest as missing', async () => {
    const store = createSpanStore();
    receiver = await startOtlpReceiver({ port: 0, store });
    const port = await startApp(receiver.url);
    // Run offsets: the first three requests in the baseline, the rest during the fault.
    const join = createRequestJoin({ phaseOf: (s) => (s.startedAt < 3000 ? 'baseline' : 'fault') });
    for (let i = 0; i < 6; i++) {
      const traceId = newTraceId();
      const path = i % 3 === 0 ? '/fail' : `/fhir/Patient/${i}`;
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { traceparent: traceparent(traceId, newSpanId()) } });
      await res.text();
      join.add({ traceId, scenario: 'clinicians', startedAt: millis(i * 1000) });
    }
    // Two requests that never reached the app (e.g. dropped by a fault before the server).
    join.add({ traceId: newTraceId(), scenario: 'registration', startedAt: millis(4500) });
    join.add({ traceId: newTraceId(), scenario: 'registration', startedAt: millis(4600) });
    join.add({ traceId: 'not-a-trace-id', scenario: 'registration', startedAt: millis(4700) });
    (child as ChildProcess).kill('SIGTERM');
    await once(child as ChildProcess, 'exit');

    const result = join.result(store);
    expect(result).toMatchObject({ total: 8, withServerSpan: 6, missing: 2, missingFraction: 0.25, withoutTraceId: 1 });
    expect(result.byScenario).toEqual({
      clinicians: { total: 6, withServerSpan: 6, missing: 0, missingFraction: 0 },
      registration: { total: 2, withServerSpan: 0, missing: 2, missingFraction: 1 },
    });
    expect(result.byPhase).toEqual({
      baseline: { total: 3, withServerSpan: 3, missing: 0, missingFraction: 0 },
      fault: { total: 5, withServerSpan: 3, missing: 2, missingFraction: 0.4 },
    });
    const failed = store.aggregates().find((a) => a.service === 'traced-app' && a.errors > 0);
    expect(failed?.errors).toBe(2); // the /fail requests: instrumentation-http marks 5xx server spans ERROR
  }, 30_000);

  it('joins one-shot from a list of samples', () => {
    const store = { hasServerSpan: (id: string) => id.startsWith('a') };
    const r = joinRequests([
      { traceId: `a${'1'.repeat(31)}`, scenario: 's', startedAt: millis(0) },
      { traceId: `b${'1'.repeat(31)}`, scenario: 's', startedAt: millis(1) },
      { traceId: `b${'1'.repeat(31)}`, scenario: 's', startedAt: millis(2) }, // the same trace id twice counts once
    ], store);
    expect(r).toMatchObject({ total: 2, withServerSpan: 1, missing: 1, missingFraction: 0.5 });
    expect(Object.keys(r.byPhase)).toEqual(['run']);
  });

  it('joined as the run goes (a soak), counts exactly what a join holding every id until the end counts', () => {
    // A store that sees the server spans of most requests a little after them, as a real one does (OTLP batching).
    const store = createSpanStore({ maxBytesInMemory: 8 * 1024 * 1024, spans: { keep: 'none' } });
    const requests = Math.round(JOIN_GENERATION * 2.7);
    const idOf = (i: number): string => `${(i + 1).toString(16).padStart(8, '0')}${'5'.repeat(16)}${(i * 13).toString(16).padStart(8, '0')}`;
    const serverSpan = (traceId: string): SpanRecord => ({
      traceId, spanId: '1'.repeat(16), parentSpanId: '', traceState: '', flags: 0, name: 'GET /x', kind: 2, service: 'api',
      startTimeUnixNano: '0', endTimeUnixNano: '0', startEpochMs: 0, durationMs: 1, status: { code: 0, message: '' },
      attributes: {}, resource: {}, scope: { name: '', version: '' }, events: [], links: [],
    });
    const phaseOf = (s: { startedAt: number }): string => (s.startedAt < requests / 3 ? 'baseline' : 'fault');
    const live = createRequestJoin({ phaseOf, servers: store });
    const atEnd = createRequestJoin({ phaseOf });
    const lag = 500;
    for (let i = 0; i < requests + lag; i++) {
      if (i < requests) {
        const sample = { traceId: idOf(i), scenario: i % 4 === 0 ? 'registration' : 'clinicians', startedAt: millis(i) };
        live.add(sample);
        atEnd.add(sample);
      }
      // Every 7th request never reaches the server; the others' spans come `lag` requests later.
      const j = i - lag;
      if (j >= 0 && j % 7 !== 3) store.addSpans([serverSpan(idOf(j))]);
    }
    store.flush();
    const result = live.result(store);
    expect(result).toEqual(atEnd.result(store));
    expect(result.total).toBe(requests);
    expect(result.missing).toBe(Array.from({ length: requests }, (_, j) => j % 7 === 3).filter(Boolean).length);
    expect(live.size).toBe(requests);
    // The store remembers server traces well past the join's lookups (docs of both constants).
    expect(SERVER_TRACE_MEMORY).toBeGreaterThanOrEqual(4 * JOIN_GENERATION);
  }, 60_000);
});
