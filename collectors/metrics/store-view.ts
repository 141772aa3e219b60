/**
 * @module collectors/metrics: the load's k6 metrics read from the run's MetricStore at scrape time — `vus`,
 * `vus_max`, `iterations`, `dropped_iterations`, the HL7 counters of `mllp` steps and the Trends of STORE_TRENDS — so the engine's hot path does
 * no per-request work for /metrics beyond what it already records.
 */
import type { Aggregate, MetricStore } from '../../core/metrics/index.js';
import { STORE_TRENDS, TREND_STATS, type MetricName, type TrendStat } from '../../core/metric-catalogue.js';
import type { Family } from './exposition.js';

/**
 * Share of one core the Trend copies may take: merging each label set's HDR histograms costs about a
 * millisecond, so with many label sets they are refreshed less often than Prometheus scrapes
 * (`npm run bench -- metrics-scrape`). Counters and gauges are fresh at every scrape.
 */
const TREND_CPU_SHARE = 0.03;
/** Copies faster than this are never deferred. */
const CHEAP_COPY_MS = 5;

/** A copier of the store's current totals into the registry's families (counters and gauges set, histograms replaced). */
export function loadStoreView(store: MetricStore): (family: (name: MetricName) => Family) => void {
  let nextTrendsAt = 0;
  let copiedAfterEnd = false;
  return (family) => {
    copyCounts(store, family);
    const started = performance.now();
    // The first scrape after the load ended always gets the final values.
    const isFinal = !copiedAfterEnd && store.hasEnded();
    if (started < nextTrendsAt && !isFinal) return;
    copyTrends(store, family);
    copiedAfterEnd ||= isFinal;
    const took = performance.now() - started;
    nextTrendsAt = took < CHEAP_COPY_MS ? 0 : started + took / TREND_CPU_SHARE;
  };
}

function copyCounts(store: MetricStore, family: (name: MetricName) => Family): void {
  for (const [metric, name] of [['vus', 'k6_vus'], ['vus_max', 'k6_vus_max']] as const) {
    store.forEachGroup(metric, [], (_tags, a) => {
      if (a.samples > 0) family(name).set([], a.value);
    });
  }
  for (const [metric, name] of [['iterations', 'k6_iterations_total'], ['dropped_iterations', 'k6_dropped_iterations_total']] as const) {
    store.forEachGroup(metric, ['scenario'], (tags, a) => family(name).set([tags.scenario ?? ''], a.count));
  }
  store.forEachGroup('hl7_msgs', ['scenario', 'name', 'ack'], (tags, a) => family('k6_hl7_msgs_total').set([tags.scenario ?? '', tags.name ?? '', tags.ack ?? ''], a.count));
  store.forEachGroup('hl7_msg_failed', ['scenario', 'name'], (tags, a) => {
    if (a.samples > 0) family('k6_hl7_msg_failed_total').set([tags.scenario ?? '', tags.name ?? ''], a.passes);
  });
}

function copyTrends(store: MetricStore, family: (name: MetricName) => Family): void {
  for (const { metric, labels } of STORE_TRENDS) {
    const histogram = family(`k6_${metric}_seconds`);
    const boundsMs = histogram.bounds.map((b) => b * 1000);
    store.forEachGroup(metric, labels, (tags, a) => {
      if (a.samples === 0) return;
      const values = labels.map((l) => tags[l] ?? '');
      histogram.setHistogram(values, a.countsAtOrBelow(boundsMs), a.sum / 1000, a.samples);
      for (const stat of TREND_STATS) family(`k6_${metric}_${stat}`).set(values, trendStat(a, stat) / 1000);
    });
  }
}

function trendStat(a: Aggregate, stat: TrendStat): number {
  switch (stat) {
    case 'min': return a.min;
    case 'max': return a.max;
    case 'avg': return a.avg;
    case 'med': return a.med;
    case 'p90': return a.percentile(90);
    case 'p95': return a.percentile(95);
    case 'p99': return a.percentile(99);
  }
}
