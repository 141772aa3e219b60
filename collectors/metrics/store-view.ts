/**
 * @module collectors/metrics: the load's k6 metrics read from the run's MetricStore at scrape time — `vus`,
 * `vus_max`, `iterations`, `dropped_iterations` and the Trends of STORE_TRENDS — so the engine's hot path does
 * no per-request work for /metrics beyond what it already records.
 */
import type { Aggregate, MetricStore } from '../../core/metrics/index.js';
import { STORE_TRENDS, TREND_STATS, type MetricName, type TrendStat } from '../../core/metric-catalogue.js';
import type { Family } from './exposition.js';

/** Copies the store's current totals into the registry's families (counters and gauges set, histograms replaced). */
export function copyLoadStore(store: MetricStore, family: (name: MetricName) => Family): void {
  for (const [metric, name] of [['vus', 'k6_vus'], ['vus_max', 'k6_vus_max']] as const) {
    const [total] = store.queryGrouped(metric, []);
    if (total !== undefined && total.aggregate.samples > 0) family(name).set([], total.aggregate.value);
  }
  for (const [metric, name] of [['iterations', 'k6_iterations_total'], ['dropped_iterations', 'k6_dropped_iterations_total']] as const) {
    for (const { tags, aggregate } of store.queryGrouped(metric, ['scenario'])) family(name).set([tags.scenario ?? ''], aggregate.count);
  }
  for (const { metric, labels } of STORE_TRENDS) {
    const histogram = family(`k6_${metric}_seconds`);
    for (const { tags, aggregate } of store.queryGrouped(metric, labels)) {
      if (aggregate.samples === 0) continue;
      const values = labels.map((l) => tags[l] ?? '');
      histogram.setHistogram(values, histogram.bounds.map((b) => aggregate.countAtOrBelow(b * 1000)), aggregate.sum / 1000, aggregate.samples);
      for (const stat of TREND_STATS) family(`k6_${metric}_${stat}`).set(values, trendStat(aggregate, stat) / 1000);
    }
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
