/** @module collectors/otlp: the SDK-style record limits on spans received over OTLP/HTTP, counted in stats and /metrics. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectors, type Collectors } from '../collectors.js';
import { DEFAULT_RECORD_LIMITS } from './limits.js';
import { hexId } from './test-payloads.js';

let collectors: Collectors;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-limits-'));
  collectors = await startCollectors({ runId: 'limits', port: 0, metricsPort: 0, outDir: dir });
});
afterAll(async () => {
  await collectors.close();
  rmSync(dir, { recursive: true, force: true });
});

const kv = (n: number, value: (i: number) => unknown = (i) => ({ stringValue: `v${i}` })) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: value(i) }));

/** One span far past every limit, as OTLP/JSON. */
function oversizedSpan(traceId: string, spanId: string): Record<string, unknown> {
  return {
    traceId, spanId, name: 'n'.repeat(10_000), kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000010000000',
    attributes: [
      { key: 'long', value: { stringValue: 'x'.repeat(50_000) } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'y'.repeat(9_000) }, { intValue: '3' }] } } },
      ...kv(198),
    ],
    droppedAttributesCount: 5, // what the sender's SDK dropped already
    events: Array.from({ length: 200 }, (_, i) => ({ name: `e${i}`, timeUnixNano: '1700000000000000001', attributes: kv(130) })),
    links: Array.from({ length: 150 }, (_, i) => ({ traceId: hexId(i, 16), spanId: hexId(i, 8), attributes: kv(129) })),
  };
}

describe('record limits', () => {
  it('keeps 128 attributes/events/links, cuts strings at 4096 chars and counts what was dropped', async () => {
    const traceId = hexId(4242, 16);
    const body = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] }, scopeSpans: [{ spans: [oversizedSpan(traceId, hexId(1, 8))] }] }] };
    const res = await fetch(`${collectors.receiver.url}/v1/traces`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const [span] = collectors.store.spansOf(traceId);
    expect(span).toBeDefined();
    if (!span) return;
    const limit = DEFAULT_RECORD_LIMITS.attributeValueLengthLimit;
    expect(Object.keys(span.attributes)).toHaveLength(128);
    expect(span.attributes.long).toBe('x'.repeat(limit));
    expect((span.attributes.list as unknown[])[0]).toBe('y'.repeat(limit));
    expect(span.name).toHaveLength(limit);
    expect(span.droppedAttributesCount).toBe(5 + 200 - 128);
    expect(span.events).toHaveLength(128);
    expect(span.droppedEventsCount).toBe(72);
    expect(span.links).toHaveLength(128);
    expect(span.droppedLinksCount).toBe(22);
    expect(span.events[0]?.droppedAttributesCount).toBe(2);
    expect(span.links[0]?.droppedAttributesCount).toBe(1);
    // 72 + 128 × 2 on events, 128 × 1 on links.
    expect(collectors.receiver.stats().limited).toEqual({ truncatedValues: 3, droppedAttributes: 72 + 128 * 2 + 128, droppedEvents: 72, droppedLinks: 22 });

    const text = await (await fetch(`${collectors.metrics?.url}/metrics`)).text();
    expect(text).toMatch(/^codeblue_otlp_limited_total\{run="limits",testid="limits",what="truncated_values"\} 3$/m);
    expect(text).toMatch(/^codeblue_otlp_limited_total\{run="limits",testid="limits",what="dropped_events"\} 72$/m);
    const bytes = /^codeblue_otlp_memory_bytes\{run="limits",testid="limits",signal="traces"\} (\d+)$/m.exec(text);
    expect(Number(bytes?.[1])).toBeGreaterThan(3 * limit);
    expect(Number(bytes?.[1])).toBe(collectors.store.stats().spans.bytesInMemory);
    expect(text).toMatch(/^codeblue_otlp_dropped_total\{run="limits",testid="limits",signal="traces"\} 0$/m);
  });

  it('drops the oldest records past the memory cap without a run folder, and /metrics and stats count them', async () => {
    const small = await startCollectors({ runId: 'tight', port: 0, metricsPort: 0, maxBytesInMemory: 1_000_000 });
    try {
      for (let r = 0; r < 10; r++) {
        const spans = Array.from({ length: 20 }, (_, i) => ({
          traceId: hexId(r * 20 + i, 16), spanId: hexId(r * 20 + i, 8), name: 'op', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000000001',
          attributes: [{ key: 'blob', value: { stringValue: 'z'.repeat(4000) } }],
        }));
        const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: spans.map(() => ({ timeUnixNano: '1700000000000000000', body: { stringValue: 'l'.repeat(4000) } })) }] }] };
        const send = (path: string, body: unknown) => fetch(`${small.receiver.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect((await send('/v1/traces', { resourceSpans: [{ scopeSpans: [{ spans }] }] })).status).toBe(200);
        expect((await send('/v1/logs', logs)).status).toBe(200);
      }
      const st = small.store.stats();
      expect(st.spans.bytesInMemory).toBeLessThanOrEqual(500_000);
      expect(st.logs.bytesInMemory).toBeLessThanOrEqual(250_000);
      expect(st.spans.dropped).toBeGreaterThan(50);
      expect(st.logs.dropped).toBeGreaterThan(100);
      const text = await (await fetch(`${small.metrics?.url}/metrics`)).text();
      expect(text).toContain(`codeblue_otlp_dropped_total{run="tight",testid="tight",signal="traces"} ${st.spans.dropped}`);
      expect(text).toContain(`codeblue_otlp_dropped_total{run="tight",testid="tight",signal="logs"} ${st.logs.dropped}`);
    } finally {
      const summary = await small.close();
      expect(summary.store.spans.dropped).toBeGreaterThan(50);
    }
  });
});
