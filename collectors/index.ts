/** @module collectors: OTLP receiver, span store, request↔trace join, trace assertions, PHI scan, live /metrics. */
export { startOtlpReceiver } from './otlp/receiver.js';
export type { OtlpReceiver, OtlpSink, ReceiverOptions, ReceiverStats } from './otlp/receiver.js';
export { grpcPortBeside, OTLP_GRPC_PORT, startOtlpGrpcReceiver } from './otlp/grpc-receiver.js';
export type { GrpcReceiverOptions, GrpcReceiverStats, OtlpGrpcReceiver } from './otlp/grpc-receiver.js';
export type { ForwardStats } from './otlp/forward.js';
export { DEFAULT_RECORD_LIMITS } from './otlp/limits.js';
export type { LimitCounts, RecordLimits } from './otlp/limits.js';
export type {
  AttributeValue, Attributes, LogRecordData, MetricPointData, MetricPointType, SpanEventRecord, SpanKind, SpanLinkRecord,
  SpanRecord, StatusCode,
} from './otlp/types.js';

export { createSpanStore, DEFAULT_STORE_BYTES, OTHER_SPANS } from './store/span-store.js';
export type { SelfTimeEntry, SpanAggregate, SpanStore, SpanStoreOptions, SpanStoreStats } from './store/span-store.js';
export type { SpillStats } from './store/spill-queue.js';
export type { SamplingStats, SpanKeep } from './store/tail-sampler.js';
export { readSpanFiles } from './store/span-files.js';
export type { LatencySummary } from './store/latency-sketch.js';
export { DEFAULT_PHASE, BEFORE_FIRST_PHASE } from './store/phase-timeline.js';
export { createRequestTimeline } from './store/request-timeline.js';
export type { RequestTimeline, TimelineBucket } from './store/request-timeline.js';

export { analyzeSpans } from './traces/analyze-spans.js';
export type { SpanSeconds } from './traces/span-seconds.js';
export type { AnalyzeSpansOptions, SlowTrace, SpanAnalysis } from './traces/analyze-spans.js';
export type { SpanWindow, SpanWindowRow, SpanWindowStats } from './traces/window-stats.js';
export { ServiceSeconds } from './traces/service-seconds.js';
export { TraceIdSet } from './store/trace-id-set.js';
export type { ServiceSecond } from './traces/service-seconds.js';
export { buildWaterfall } from './traces/trace-tree.js';
export type { TraceSpanInput, TraceWaterfall, WaterfallSpan } from './traces/trace-tree.js';
export { readTrace } from './traces/read-trace.js';

export { createRequestJoin, joinRequests } from './join.js';
export type { JoinCounts, JoinResult, JoinSample, RequestJoin, RequestJoinOptions, ServerSpanIndex } from './join.js';

export { traceAssertionSchema, traceSelectorSchema, traceChecksSchema } from './schema.js';
export type { TraceAssertion, TraceSelector } from './schema.js';
export { evaluateTraceAssertions } from './assertions/evaluate.js';
export type { SpanSource, TraceAssertionResult, TraceCheckKind, TraceCheckResult } from './assertions/evaluate.js';

export type { PhiFinding, PhiLocation, PhiScanResult } from './phi/scan.js';
export type { PhiRule } from './phi/rules.js';
export type { PhiFindingGroup } from './phi/group.js';
export { complianceSchema, DEFAULT_COMPLIANCE } from './phi/schema.js';
export type { ComplianceSettings, PhiAllow } from './phi/schema.js';

export { createMetricsRegistry } from './metrics/registry.js';
export type { MetricsRegistry, MetricsRegistryOptions, OtlpMemoryFigures } from './metrics/registry.js';
export { startMetricsServer } from './metrics/server.js';
export type { MetricsServer } from './metrics/server.js';
export { METRIC_CATALOGUE, COMMON_LABELS, DURATION_BUCKETS_SECONDS, TREND_STATS } from '../core/metric-catalogue.js';
export type { MetricDefinition, MetricName, MetricType, TrendStat } from '../core/metric-catalogue.js';
export { EXPOSITION_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE } from './metrics/exposition.js';

export { startRemoteWrite } from './remote-write/output.js';
export type { RemoteWriteOutput, RemoteWriteOptions, RemoteWriteStats } from './remote-write/output.js';
export { remoteWriteFromFlag, remoteWriteOutputsOf, REMOTE_WRITE_TYPE, DEFAULT_REMOTE_WRITE_URL } from './remote-write/schema.js';
export type { RemoteWriteOutputConfig } from './remote-write/schema.js';

export { startCollectors } from './collectors.js';
export type { Collectors, CollectorsOptions, CollectorsSummary } from './collectors.js';
