/** @module collectors/otlp: an ExportLogsServiceRequest (protobuf-decoded or JSON) → LogRecordData. */
import {
  OtlpShapeError, RecordRejection, Rejections, anyValueOf, attributesOf, idOf, isObject, listOf, messageOf, nanosOf,
  serviceOf, stringOf, uintOf,
} from './normalize-common.js';
import type { LogRecordData, Normalized } from './types.js';

/** Walks resourceLogs → scopeLogs → logRecords; a record with a malformed trace/span id is rejected. */
export function normalizeLogs(request: unknown): Normalized<LogRecordData> {
  if (!isObject(request)) throw new OtlpShapeError('the request must be an object');
  const records: LogRecordData[] = [];
  const rejections = new Rejections();
  for (const rl of listOf(request, 'resourceLogs', 'request')) {
    if (!isObject(rl)) throw new OtlpShapeError('resourceLogs[] must be objects');
    const resource = attributesOf(messageOf(rl, 'resource', 'resourceLogs[]')?.attributes);
    const service = serviceOf(resource);
    for (const sl of listOf(rl, 'scopeLogs', 'resourceLogs[]')) {
      if (!isObject(sl)) throw new OtlpShapeError('scopeLogs[] must be objects');
      const scopeMsg = messageOf(sl, 'scope', 'scopeLogs[]');
      const scope = { name: stringOf(scopeMsg?.name), version: stringOf(scopeMsg?.version) };
      for (const log of listOf(sl, 'logRecords', 'scopeLogs[]')) {
        try {
          if (!isObject(log)) throw new RecordRejection('logRecord must be an object');
          // time_unix_nano 0 means unknown (logs.proto); fall back to the observed time.
          const eventTime = nanosOf(log.timeUnixNano);
          const [timeUnixNano, epochMs] = eventTime[1] === 0 ? nanosOf(log.observedTimeUnixNano) : eventTime;
          records.push({
            timeUnixNano,
            epochMs,
            severityNumber: uintOf(log.severityNumber),
            severityText: stringOf(log.severityText),
            eventName: stringOf(log.eventName),
            body: anyValueOf(log.body, 0),
            attributes: attributesOf(log.attributes),
            traceId: idOf(log.traceId, 16, 'traceId'),
            spanId: idOf(log.spanId, 8, 'spanId'),
            service,
            resource,
            scope,
          });
        } catch (err) {
          rejections.add(err);
        }
      }
    }
  }
  return { records, rejected: rejections.count, reasons: rejections.reasons };
}

