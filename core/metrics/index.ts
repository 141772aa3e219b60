/** @module core/metrics: per-second HDR metrics shared by scenarios, collectors and reports. */
export { createSettledQueries } from './settled-queries.js';
export type { SettledQueries } from './settled-queries.js';
export { MetricStore, METRIC_TYPES, TIME_METRICS, seriesKey } from './store.js';
export type { Series } from './series-data.js';
export { MetricRecorder, isExpectedStatus } from './recorder.js';
export { nearestExemplar, SLOWEST_PER_SECOND, SAMPLED_PER_SECOND } from './exemplars.js';
export type { Exemplar, ExemplarWindow } from './exemplars.js';
export type { RequestSeries } from './recorder.js';
export { writeMetrics, readMetrics, metricsLines, METRICS_FORMAT } from './disk.js';
export type { MetricsHeader, MetricsLine } from './disk.js';
export { toMicros, encodeHistogram, decodeHistogram, newSparseHistogram, newDenseHistogram, valuesAtPercentiles } from './histogram.js';
export { encodeFromBuckets } from './histogram-encode.js';
export type { Histogram } from './histogram.js';
export type { Aggregate, MetricQuery, MetricType, SeriesInfo, Tags } from './types.js';
export { seriesSnapshots } from './snapshot.js';
export type { SeriesSnapshot } from './snapshot.js';
export { SecondsSpill } from './seconds-spill.js';
