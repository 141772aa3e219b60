/** @module collectors/otlp: @internal builders of OTLP export requests for tests and the benchmark. */
import { otlpTypes } from './proto-root.js';

export interface PayloadSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name?: string;
  readonly kind?: number;
  readonly startMs?: number;
  readonly durationMs?: number;
  readonly statusCode?: number;
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
}

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function anyValue(v: string | number | boolean): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/** An ExportTraceServiceRequest in OTLP/JSON form (hex ids, decimal-string nanos). */
export function traceRequestJson(service: string, spans: readonly PayloadSpan[]): Record<string, unknown> {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'test', version: '1' },
        spans: spans.map((s) => {
          const start = s.startMs ?? 1_700_000_000_000;
          return {
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name ?? 'op',
            kind: s.kind ?? 2,
            startTimeUnixNano: nanos(start),
            endTimeUnixNano: nanos(start + (s.durationMs ?? 10)),
            attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: anyValue(v) })),
            status: { code: s.statusCode ?? 0 },
          };
        }),
      }],
    }],
  };
}

/** The same request as protobuf bytes (ids converted from hex to bytes). */
export function traceRequestProtobuf(service: string, spans: readonly PayloadSpan[]): Buffer {
  const json = traceRequestJson(service, spans) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  for (const rs of json.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        for (const key of ['traceId', 'spanId', 'parentSpanId']) {
          if (typeof span[key] === 'string') span[key] = Buffer.from(span[key] as string, 'hex');
        }
      }
    }
  }
  const type = otlpTypes().traceRequest;
  return Buffer.from(type.encode(type.fromObject(json)).finish());
}

/** Deterministic pseudo-random hex of `bytes` bytes from a counter (never all zero). */
export function hexId(n: number, bytes: number): string {
  return (n + 1).toString(16).padStart(bytes * 2, '0').slice(-bytes * 2);
}
