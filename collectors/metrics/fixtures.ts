/** @module collectors/metrics: @internal request samples for the metrics tests. */
import { millis, type RequestSample } from '../../core/index.js';

export function requestSample(over: Partial<RequestSample> = {}): RequestSample {
  return {
    scheduledAt: millis(0), startedAt: millis(0), scenario: 'clinicians', name: 'GET /fhir/Patient/{id}', method: 'GET',
    group: '', status: 200, durationMs: 120, correctedDurationMs: 120, failed: false, bytesSent: 100, bytesReceived: 900,
    traceId: '0af7651916cd43dd8448eb211c80319c', ...over,
  };
}
