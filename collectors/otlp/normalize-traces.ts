/** @module collectors/otlp: an ExportTraceServiceRequest (protobuf-decoded or JSON) → SpanRecords. */
import { Limiter } from './limits.js';
import {
  OtlpShapeError, RecordRejection, Rejections, attributesOf, idOf, isObject, keptOf, listOf, messageOf, nanosOf, requiredIdOf,
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
export function normalizeTraces(request: unknown, limiter: Limiter = new Limiter()): Normalized<SpanRecord> {
  if (!isObject(request)) throw new OtlpShapeError('the request must be an object');
  const records: SpanRecord[] = [];
  const rejections = new Rejections();
  for (const rs of listOf(request, 'resourceSpans', 'request')) {
    if (!isObject(rs)) throw new OtlpShapeError('resourceSpans[] must be objects');
    const resourceMsg = messageOf(rs, 'resource', 'resourceSpans[]');
    const resource = attributesOf(resourceMsg?.attributes, limiter);
    const service = serviceOf(resource);
    for (const ss of listOf(rs, 'scopeSpans', 'resourceSpans[]')) {
      if (!isObject(ss)) throw new OtlpShapeError('scopeSpans[] must be objects');
      const scopeMsg = messageOf(ss, 'scope', 'scopeSpans[]');
      const scope = scopeMsg ? { name: limiter.cut(stringOf(scopeMsg.name)), version: limiter.cut(stringOf(scopeMsg.version)) } : EMPTY_SCOPE;
      for (const span of listOf(ss, 'spans', 'scopeSpans[]')) {
        try {
          records.push(spanOf(span, service, resource, scope, limiter));
        } catch (err) {
          rejections.add(err);
        }
      }
    }
  }
  return { records, rejected: rejections.count, reasons: rejections.reasons };
}

function spanOf(span: unknown, service: string, resource: SpanRecord['resource'], scope: SpanRecord['scope'], limiter: Limiter): SpanRecord {
  if (!isObject(span)) throw new RecordRejection('span must be an object');
  const traceId = requiredIdOf(span.traceId, 16, 'traceId');
  const spanId = requiredIdOf(span.spanId, 8, 'spanId');
  const parentSpanId = idOf(span.parentSpanId, 8, 'parentSpanId');
  const [startTimeUnixNano, startEpochMs] = nanosOf(span.startTimeUnixNano);
  const [endTimeUnixNano, endEpochMs] = nanosOf(span.endTimeUnixNano);
  const status = isObject(span.status) ? span.status : undefined;
  const { limits, counts } = limiter;
  const before = counts.droppedAttributes;
  const attributes = attributesOf(span.attributes, limiter);
  const droppedAttributes = counts.droppedAttributes - before;
  const events = keptOf(span.events, limits.eventCountLimit);
  const links = keptOf(span.links, limits.linkCountLimit);
  counts.droppedEvents += events.dropped;
  counts.droppedLinks += links.dropped;
  const record: SpanRecord = {
    traceId,
    spanId,
    parentSpanId,
    traceState: limiter.cut(stringOf(span.traceState)),
    flags: uintOf(span.flags),
    name: limiter.cut(stringOf(span.name)),
    kind: kindOf(span.kind),
    service,
    startTimeUnixNano,
    endTimeUnixNano,
    startEpochMs,
    durationMs: Math.max(0, endEpochMs - startEpochMs),
    status: { code: statusCodeOf(status?.code), message: limiter.cut(stringOf(status?.message)) },
    attributes,
    resource,
    scope,
    events: events.kept.length > 0 ? events.kept.filter(isObject).map((e) => eventOf(e, limiter)) : NO_EVENTS,
    links: links.kept.length > 0 ? links.kept.filter(isObject).map((l) => linkOf(l, limiter)) : NO_LINKS,
  };
  // The SDK's dropped counts (what the sender dropped) plus what these limits dropped; set only when not 0.
  return withDropped(record, {
    droppedAttributesCount: uintOf(span.droppedAttributesCount) + droppedAttributes,
    droppedEventsCount: uintOf(span.droppedEventsCount) + events.dropped,
    droppedLinksCount: uintOf(span.droppedLinksCount) + links.dropped,
  });
}

function eventOf(e: Record<string, unknown>, limiter: Limiter): SpanEventRecord {
  const before = limiter.counts.droppedAttributes;
  const attributes = attributesOf(e.attributes, limiter, limiter.limits.eventAttributeCountLimit);
  const event = { name: limiter.cut(stringOf(e.name)), timeUnixNano: nanosOf(e.timeUnixNano)[0], attributes };
  return withDropped(event, { droppedAttributesCount: uintOf(e.droppedAttributesCount) + limiter.counts.droppedAttributes - before });
}

function linkOf(l: Record<string, unknown>, limiter: Limiter): SpanLinkRecord {
  const before = limiter.counts.droppedAttributes;
  const attributes = attributesOf(l.attributes, limiter, limiter.limits.linkAttributeCountLimit);
  const link = { traceId: idOf(l.traceId, 16, 'link traceId'), spanId: idOf(l.spanId, 8, 'link spanId'), attributes };
  return withDropped(link, { droppedAttributesCount: uintOf(l.droppedAttributesCount) + limiter.counts.droppedAttributes - before });
}

/** Adds the non-zero dropped counts to a record (most records have none, so most carry no such keys). */
function withDropped<T extends object>(record: T, dropped: Readonly<Record<string, number>>): T {
  for (const [key, n] of Object.entries(dropped)) if (n > 0) (record as Record<string, unknown>)[key] = n;
  return record;
}

/** OTLP/JSON enums are integers only (spec); protobufjs also yields integers. */
function kindOf(v: unknown): SpanKind {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5 ? (v as SpanKind) : 0;
}

function statusCodeOf(v: unknown): StatusCode {
  return v === 1 || v === 2 ? v : 0;
}
