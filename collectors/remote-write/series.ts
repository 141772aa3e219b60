/**
 * @module collectors/remote-write: k6 metrics (a MetricStore's series) → remote-write time series, named and
 * valued as k6's `experimental-prometheus-rw` output does (k6 `internal/output/prometheusrw/remotewrite`):
 * counter → `k6_<m>_total` (sum since start), gauge → `k6_<m>` (last value), rate → `k6_<m>_rate`
 * (non-zero / all since start), trend → one `k6_<m>_<stat>` gauge per stat, or with native histograms one
 * `k6_<m>_seconds` histogram. Time values go out in seconds; tags with an empty value are left out.
 */
import type { SeriesSnapshot } from '../../core/metrics/index.js';
import { nativeHistogramOf } from './native-histogram.js';
import type { Label, TimeSeries } from './prompb.js';
import { percentilesOf, type TrendStatSpec } from './trend-stats.js';

const PREFIX = 'k6_';

export interface SeriesMapping {
  readonly trendStats: readonly TrendStatSpec[];
  readonly nativeHistograms: boolean;
  /** Labels every series carries unless its tags already set them (codeblue: `testid` = the run id). */
  readonly commonLabels: Readonly<Record<string, string>>;
}

/** The time series to push for `snapshots`, every sample stamped `timestampMs`. */
export function toTimeSeries(snapshots: readonly SeriesSnapshot[], mapping: SeriesMapping, timestampMs: number): TimeSeries[] {
  const out: TimeSeries[] = [];
  for (const snap of snapshots) {
    const { info, aggregate: a } = snap;
    // A series the recorder opened but never fed (e.g. TLS time the engine does not measure) has no value to send.
    if (a.samples === 0) continue;
    const labelsFor = (name: string): Label[] => labelsOf(name, info.tags, mapping.commonLabels);
    const sample = (name: string, value: number): TimeSeries => ({ labels: labelsFor(name), samples: [{ value, timestampMs }] });
    const base = `${PREFIX}${info.metric}`;
    switch (info.type) {
      case 'counter':
        out.push(sample(`${base}_total`, a.count));
        break;
      case 'gauge':
        out.push(sample(base, a.value));
        break;
      case 'rate':
        out.push(sample(`${base}_rate`, a.rate));
        break;
      case 'trend': {
        const toUnit = info.isTime ? (ms: number): number => ms / 1000 : (v: number): number => v;
        if (mapping.nativeHistograms) {
          out.push({ labels: labelsFor(info.isTime ? `${base}_seconds` : base), histograms: [nativeHistogramOf(snap, toUnit, timestampMs)] });
        } else {
          // `count` is a number of samples, never a time: k6 converts every stat of a time trend, we keep counts as counts.
          const ps = percentilesOf(snap, mapping.trendStats.flatMap((s) => (s.percentile === undefined ? [] : [s.percentile])));
          for (const s of mapping.trendStats) {
            const value = s.percentile === undefined ? s.of(a) : (ps.get(s.percentile) as number);
            out.push(sample(`${base}_${s.suffix}`, s.suffix === 'count' ? value : toUnit(value)));
          }
        }
        break;
      }
    }
  }
  return out;
}

function labelsOf(name: string, tags: Readonly<Record<string, string>>, common: Readonly<Record<string, string>>): Label[] {
  const labels: Label[] = [{ name: '__name__', value: promName(name) }];
  for (const [k, v] of Object.entries(common)) if (tags[k] === undefined && v !== '') labels.push({ name: k, value: v });
  for (const [k, v] of Object.entries(tags)) if (v !== '') labels.push({ name: promName(k), value: v });
  // The remote-write spec wants labels sorted by name (byte order).
  return labels.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/**
 * A valid Prometheus name (`[a-zA-Z_][a-zA-Z0-9_]*`; `:` too for metric names, which k6 never uses): one tag like
 * `user-role` would otherwise make the receiver refuse the whole request, every push, for every series.
 */
function promName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}
