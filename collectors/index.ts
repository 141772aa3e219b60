/** @module collectors: OTLP receiver, span store, request↔trace join, trace assertions, PHI scan, live /metrics. */
export { startOtlpReceiver } from './otlp/receiver.js';
export type { OtlpReceiver, OtlpSink, ReceiverOptions, ReceiverStats } from './otlp/receiver.js';
export type { ForwardStats } from './otlp/forward.js';
export type {
  AttributeValue, Attributes, LogRecordData, MetricPointData, MetricPointType, SpanEventRecord, SpanKind, SpanLinkRecord,
  SpanRecord, StatusCode,
} from './otlp/types.js';

export { createSpanStore, OTHER_SPANS } from './store/span-store.js';
export type { SelfTimeEntry, SpanAggregate, SpanStore, SpanStoreOptions, SpanStoreStats } from './store/span-store.js';
export type { LatencySummary } from './store/latency-sketch.js';
export { DEFAULT_PHASE, BEFORE_FIRST_PHASE } from './store/phase-timeline.js';
export { createRequestTimeline } from './store/request-timeline.js';
export type { RequestTimeline, TimelineBucket } from './store/request-timeline.js';

export { createRequestJoin, joinRequests } from './join.js';
export type { JoinCounts, JoinResult, JoinSample, RequestJoin, RequestJoinOptions, ServerSpanIndex } from './join.js';

export { traceAssertionSchema, traceSelectorSchema, traceChecksSchema } from './schema.js';
export type { TraceAssertion, TraceSelector } from './schema.js';
export { evaluateTraceAssertions } from './assertions/evaluate.js';
export type { SpanSource, TraceAssertionResult, TraceCheckKind, TraceCheckResult } from './assertions/evaluate.js';

export { scanForPhi } from './phi/scan.js';
export type { PhiFinding, PhiLocation, PhiScanOptions, PhiScanResult } from './phi/scan.js';
export type { PhiRule } from './phi/rules.js';

export { createMetricsRegistry } from './metrics/registry.js';
export type { MetricsRegistry, MetricsRegistryOptions } from './metrics/registry.js';
export { startMetricsServer } from './metrics/server.js';
export type { MetricsServer } from './metrics/server.js';
export { METRIC_CATALOGUE, COMMON_LABELS, DURATION_BUCKETS_SECONDS, TREND_STATS } from './metrics/catalogue.js';
export type { MetricDefinition, MetricName, MetricType, TrendStat } from './metrics/catalogue.js';
export { EXPOSITION_CONTENT_TYPE } from './metrics/exposition.js';

export { startCollectors } from './collectors.js';
export type { Collectors, CollectorsOptions, CollectorsSummary } from './collectors.js';
