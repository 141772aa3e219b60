/** @module core: the leaf every room may import. */
export { CodeblueError, EXIT, isCodeblueError, describeError } from './errors.js';
export type { ErrorCode, ExitCode, ErrorOptions } from './errors.js';
export { PlanError, formatIssue } from './plan-issue.js';
export type { PlanIssue } from './plan-issue.js';
export { millis, bytes, parseDurationText, formatDuration, parseRatio } from './units.js';
export type { Millis, Bytes } from './units.js';
export { systemClock, manualClock, deferredClock, sleep } from './clock.js';
export type { Clock, ManualClock, DeferredClock } from './clock.js';
export { newRunId, newTraceId, newSpanId, traceparent, traceIdOf } from './ids.js';
export { assertTargetAllowed, isLoopbackAddress, hostOf, LOOPBACK_ONLY } from './target-guard.js';
export type { TargetPolicy, Resolver } from './target-guard.js';
export type { Sink, RequestSample, RequestTimings, CheckSample, FaultEvent } from './sample.js';
export type { DeepReadonly } from './deep-readonly.js';
export type { JournalAction, JournalEntry } from './journal.js';
export { MetricStore, MetricRecorder, METRIC_TYPES, METRICS_FORMAT, writeMetrics, readMetrics, metricsLines, isExpectedStatus, seriesKey, encodeHistogram, decodeHistogram, toMicros } from './metrics/index.js';
export type { Series, Aggregate, MetricQuery, SeriesInfo, Tags, MetricsHeader, MetricsLine } from './metrics/index.js';
