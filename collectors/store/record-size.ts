/**
 * @module collectors/store: estimated heap bytes of stored records, so the store's memory cap is in bytes.
 * An estimate, not a measurement: V8 object and property overheads as round constants, strings at one byte
 * per character (telemetry is nearly all ASCII) plus a header. bench/otlp-rss.ts checks it against RSS.
 */
import type { AttributeValue, Attributes, LogRecordData, MetricPointData, SpanRecord } from '../otlp/types.js';

const OBJECT = 64;
const PROPERTY = 24;
const STRING = 24;
const NUMBER = 16;

const sizeOfString = (s: string): number => STRING + s.length;

function sizeOfValue(v: AttributeValue): number {
  if (typeof v === 'string') return sizeOfString(v);
  if (typeof v === 'number') return NUMBER;
  if (v === null || typeof v === 'boolean') return 8;
  if (Array.isArray(v)) {
    let n = OBJECT + 8 * v.length;
    for (const item of v as readonly AttributeValue[]) n += sizeOfValue(item);
    return n;
  }
  return sizeOfAttributes(v as Attributes);
}

function sizeOfAttributes(a: Attributes): number {
  let n = OBJECT;
  for (const key in a) n += PROPERTY + sizeOfString(key) + sizeOfValue(a[key] as AttributeValue);
  return n;
}

/**
 * Sizes spans one after another; a resource shared with the previous span (spans of one ResourceSpans share
 * one object) is counted once.
 */
export function spanSizer(): (span: SpanRecord) => number {
  let lastResource: Attributes | undefined;
  return (span) => {
    let n = OBJECT + 22 * PROPERTY + 8 * STRING + span.traceId.length + span.spanId.length + span.parentSpanId.length
      + span.traceState.length + span.name.length + span.startTimeUnixNano.length + span.endTimeUnixNano.length
      + OBJECT + sizeOfString(span.status.message) + sizeOfAttributes(span.attributes);
    if (span.resource !== lastResource) {
      n += sizeOfAttributes(span.resource) + sizeOfString(span.service) + OBJECT + span.scope.name.length + span.scope.version.length;
      lastResource = span.resource;
    }
    for (const e of span.events) n += OBJECT + 4 * PROPERTY + sizeOfString(e.name) + sizeOfString(e.timeUnixNano) + sizeOfAttributes(e.attributes);
    for (const l of span.links) n += OBJECT + 4 * PROPERTY + sizeOfString(l.traceId) + sizeOfString(l.spanId) + sizeOfAttributes(l.attributes);
    return n;
  };
}

/** As `spanSizer`, for log records. */
export function logSizer(): (log: LogRecordData) => number {
  let lastResource: Attributes | undefined;
  return (log) => {
    let n = OBJECT + 14 * PROPERTY + 6 * STRING + log.timeUnixNano.length + log.severityText.length + log.eventName.length
      + log.traceId.length + log.spanId.length + sizeOfValue(log.body) + sizeOfAttributes(log.attributes);
    if (log.resource !== lastResource) {
      n += sizeOfAttributes(log.resource) + sizeOfString(log.service) + OBJECT + log.scope.name.length + log.scope.version.length;
      lastResource = log.resource;
    }
    return n;
  };
}

export function sizeOfMetricPoint(p: MetricPointData): number {
  return OBJECT + 12 * PROPERTY + sizeOfString(p.service) + sizeOfString(p.name) + sizeOfString(p.unit) + sizeOfString(p.timeUnixNano)
    + sizeOfAttributes(p.attributes) + 8 * ((p.bucketCounts?.length ?? 0) + (p.explicitBounds?.length ?? 0));
}
