/** @module collectors/otlp: an ExportMetricsServiceRequest (protobuf-decoded or JSON) → flat MetricPointData. */
import { Limiter } from './limits.js';
import {
  OtlpShapeError, RecordRejection, Rejections, attributesOf, isObject, listOf, messageOf, nanosOf, serviceOf, stringOf,
  uintOf,
} from './normalize-common.js';
import type { MetricPointData, MetricPointType, Normalized } from './types.js';

const KINDS: readonly [key: string, type: MetricPointType][] = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
];

/**
 * Walks resourceMetrics → scopeMetrics → metrics → data points. A metric without data has no points to
 * reject, so it only adds a warning message (rejected_data_points stays 0, as the spec's warnings do).
 */
export function normalizeMetrics(request: unknown, limiter: Limiter = new Limiter()): Normalized<MetricPointData> {
  if (!isObject(request)) throw new OtlpShapeError('the request must be an object');
  const records: MetricPointData[] = [];
  const rejections = new Rejections();
  for (const rm of listOf(request, 'resourceMetrics', 'request')) {
    if (!isObject(rm)) throw new OtlpShapeError('resourceMetrics[] must be objects');
    const service = serviceOf(attributesOf(messageOf(rm, 'resource', 'resourceMetrics[]')?.attributes, limiter));
    for (const sm of listOf(rm, 'scopeMetrics', 'resourceMetrics[]')) {
      if (!isObject(sm)) throw new OtlpShapeError('scopeMetrics[] must be objects');
      for (const metric of listOf(sm, 'metrics', 'scopeMetrics[]')) {
        try {
          pointsOf(metric, service, records, limiter);
        } catch (err) {
          rejections.warn(err);
        }
      }
    }
  }
  return { records, rejected: rejections.count, reasons: rejections.reasons };
}

function pointsOf(metric: unknown, service: string, out: MetricPointData[], limiter: Limiter): void {
  if (!isObject(metric)) throw new RecordRejection('metric must be an object');
  const kind = KINDS.find(([key]) => isObject(metric[key]));
  if (!kind) throw new RecordRejection(`metric "${stringOf(metric.name)}" has no data`);
  const data = metric[kind[0]] as Record<string, unknown>;
  const base = { service, name: limiter.cut(stringOf(metric.name)), unit: limiter.cut(stringOf(metric.unit)), type: kind[1] };
  for (const p of Array.isArray(data.dataPoints) ? data.dataPoints : []) {
    if (!isObject(p)) continue;
    const point = { ...base, attributes: attributesOf(p.attributes, limiter), timeUnixNano: nanosOf(p.timeUnixNano)[0] };
    if (kind[1] === 'gauge' || kind[1] === 'sum') {
      out.push({ ...point, value: numberOf(Object.hasOwn(p, 'asInt') && p.asInt != null ? p.asInt : p.asDouble), ...(kind[1] === 'sum' ? { isMonotonic: data.isMonotonic === true } : {}) });
    } else {
      out.push({
        ...point,
        count: uintOf(p.count),
        sum: numberOf(p.sum),
        ...(kind[1] === 'histogram'
          ? { bucketCounts: (Array.isArray(p.bucketCounts) ? p.bucketCounts : []).map(uintOf),
              explicitBounds: (Array.isArray(p.explicitBounds) ? p.explicitBounds : []).map(numberOf) }
          : {}),
      });
    }
  }
}

function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (typeof v === 'object' && v !== null && typeof (v as { toNumber?: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return 0;
}
