/** @module collectors/otlp: an ExportTraceServiceRequest (protobuf-decoded or JSON) → SpanRecords. */
import {
  OtlpShapeError, RecordRejection, Rejections, attributesOf, idOf, isObject, listOf, messageOf, nanosOf, requiredIdOf,
  serviceOf, stringOf, uintOf,
} from './normalize-common.js';
import type { Normalized, SpanEventRecord, SpanKind, SpanLinkRecord, SpanRecord, StatusCode } from './types.js';

const EMPTY_SCOPE = { name: '', version: '' } as const;
/** Shared by every span without events/links: most spans have none, and each empty array costs heap. */
const NO_EVENTS: readonly SpanEventRecord[] = Object.freeze([]);
const NO_LINKS: readonly SpanLinkRecord[] = Object.freeze([]);

/**
 * Walks resourceSpans → scopeSpans → spans. A wrong outer shape throws OtlpShapeError (400);
 * an invalid span (bad id length, all-zero id, bad timestamp) is rejected and counted (partial success).
 */
export function normalizeTraces(request: unknown): Normalized<SpanRecord> {
  if (!isObject(request)) throw new OtlpShapeError('the request must be an object');
  const records: SpanRecord[] = [];
  const rejections = new Rejections();
  for (const rs of listOf(request, 'resourceSpans', 'request')) {
    if (!isObject(rs)) throw new OtlpShapeError('resourceSpans[] must be objects');
    const resourceMsg = messageOf(rs, 'resource', 'resourceSpans[]');
    const resource = attributesOf(resourceMsg?.attributes);
    const service = serviceOf(resource);
    for (const ss of listOf(rs, 'scopeSpans', 'resourceSpans[]')) {
      if (!isObject(ss)) throw new OtlpShapeError('scopeSpans[] must be objects');
      const scopeMsg = messageOf(ss, 'scope', 'scopeSpans[]');
      const scope = scopeMsg ? { name: stringOf(scopeMsg.name), version: stringOf(scopeMsg.version) } : EMPTY_SCOPE;
      for (const span of listOf(ss, 'spans', 'scopeSpans[]')) {
        try {
          records.push(spanOf(span, service, resource, scope));
        } catch (err) {
          rejections.add(err);
        }
      }
    }
  }
  return { records, rejected: rejections.count, reasons: rejections.reasons };
}

function spanOf(span: unknown, service: string, resource: SpanRecord['resource'], scope: SpanRecord['scope']): SpanRecord {
  if (!isObject(span)) throw new RecordRejection('span must be an object');
  const traceId = requiredIdOf(span.traceId, 16, 'traceId');
  const spanId = requiredIdOf(span.spanId, 8, 'spanId');
  const parentSpanId = idOf(span.parentSpanId, 8, 'parentSpanId');
  const [startTimeUnixNano, startEpochMs] = nanosOf(span.startTimeUnixNano);
  const [endTimeUnixNano, endEpochMs] = nanosOf(span.endTimeUnixNano);
  const status = isObject(span.status) ? span.status : undefined;
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState: stringOf(span.traceState),
    flags: uintOf(span.flags),
    name: stringOf(span.name),
    kind: kindOf(span.kind),
    service,
    startTimeUnixNano,
    endTimeUnixNano,
    startEpochMs,
    durationMs: Math.max(0, endEpochMs - startEpochMs),
    status: { code: statusCodeOf(status?.code), message: stringOf(status?.message) },
    attributes: attributesOf(span.attributes),
    resource,
    scope,
    events: Array.isArray(span.events) && span.events.length > 0 ? span.events.filter(isObject).map(eventOf) : NO_EVENTS,
    links: Array.isArray(span.links) && span.links.length > 0 ? span.links.filter(isObject).map(linkOf) : NO_LINKS,
  };
}

function eventOf(e: Record<string, unknown>): SpanEventRecord {
  return { name: stringOf(e.name), timeUnixNano: nanosOf(e.timeUnixNano)[0], attributes: attributesOf(e.attributes) };
}

function linkOf(l: Record<string, unknown>): SpanLinkRecord {
  return { traceId: idOf(l.traceId, 16, 'link traceId'), spanId: idOf(l.spanId, 8, 'link spanId'), attributes: attributesOf(l.attributes) };
}

/** OTLP/JSON enums are integers only (spec); protobufjs also yields integers. */
function kindOf(v: unknown): SpanKind {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5 ? (v as SpanKind) : 0;
}

function statusCodeOf(v: unknown): StatusCode {
  return v === 1 || v === 2 ? v : 0;
}
