/** @module collectors/otlp: an ExportLogsServiceRequest (protobuf-decoded or JSON) → LogRecordData. */
import { Limiter } from './limits.js';
import {
  OtlpShapeError, RecordRejection, Rejections, anyValueOf, attributesOf, idOf, isObject, listOf, messageOf, nanosOf,
  serviceOf, stringOf, uintOf,
} from './normalize-common.js';
import type { LogRecordData, Normalized } from './types.js';

/** Walks resourceLogs → scopeLogs → logRecords; a record with a malformed trace/span id is rejected. */
export function normalizeLogs(request: unknown, limiter: Limiter = new Limiter()): Normalized<LogRecordData> {
  if (!isObject(request)) throw new OtlpShapeError('the request must be an object');
  const records: LogRecordData[] = [];
  const rejections = new Rejections();
  for (const rl of listOf(request, 'resourceLogs', 'request')) {
    if (!isObject(rl)) throw new OtlpShapeError('resourceLogs[] must be objects');
    const resource = attributesOf(messageOf(rl, 'resource', 'resourceLogs[]')?.attributes, limiter);
    const service = serviceOf(resource);
    for (const sl of listOf(rl, 'scopeLogs', 'resourceLogs[]')) {
      if (!isObject(sl)) throw new OtlpShapeError('scopeLogs[] must be objects');
      const scopeMsg = messageOf(sl, 'scope', 'scopeLogs[]');
      const scope = { name: limiter.cut(stringOf(scopeMsg?.name)), version: limiter.cut(stringOf(scopeMsg?.version)) };
      for (const log of listOf(sl, 'logRecords', 'scopeLogs[]')) {
        try {
          if (!isObject(log)) throw new RecordRejection('logRecord must be an object');
          // time_unix_nano 0 means unknown (logs.proto); fall back to the observed time.
          const eventTime = nanosOf(log.timeUnixNano);
          const [timeUnixNano, epochMs] = eventTime[1] === 0 ? nanosOf(log.observedTimeUnixNano) : eventTime;
          const before = limiter.counts.droppedAttributes;
          const record: LogRecordData = {
            timeUnixNano,
            epochMs,
            severityNumber: uintOf(log.severityNumber),
            severityText: limiter.cut(stringOf(log.severityText)),
            eventName: limiter.cut(stringOf(log.eventName)),
            body: anyValueOf(log.body, 0, limiter),
            attributes: attributesOf(log.attributes, limiter),
            traceId: idOf(log.traceId, 16, 'traceId'),
            spanId: idOf(log.spanId, 8, 'spanId'),
            service,
            resource,
            scope,
          };
          const dropped = uintOf(log.droppedAttributesCount) + limiter.counts.droppedAttributes - before;
          records.push(dropped > 0 ? { ...record, droppedAttributesCount: dropped } : record);
        } catch (err) {
          rejections.add(err);
        }
      }
    }
  }
  return { records, rejected: rejections.count, reasons: rejections.reasons };
}

