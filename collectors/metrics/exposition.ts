/**
 * @module collectors/metrics: metric families in memory and their exposition — Prometheus text format 0.0.4, or
 * OpenMetrics 1.0.0 with exemplars (`# {trace_id="…"} value timestamp`) on histogram buckets when the scraper asks.
 */
import { escapeLabelValue } from '../../core/index.js';
import type { MetricDefinition } from '../../core/metric-catalogue.js';

/** Content-Type of the text format, version 0.0.4. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content-Type of OpenMetrics 1.0.0 (the only format that carries exemplars in text). */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type ExpositionFormat = 'text' | 'openmetrics';

/** An observation kept as its bucket's example: the trace that produced it (OpenMetrics exemplar). */
export interface BucketExemplar {
  readonly traceId: string;
  /** The observed value, in the family's unit (seconds). */
  readonly value: number;
  /** Unix time in seconds (OpenMetrics exemplar timestamps are seconds). */
  readonly timestampSec: number;
}

interface Series {
  readonly labels: readonly string[];
  value: number;
  /** Histograms: per-bucket (non-cumulative) counts, then sum and count. */
  buckets?: number[];
  /** Histograms: the latest exemplar per bucket (index as `buckets`; the last is +Inf), as client libraries keep them. */
  exemplars?: (BucketExemplar | undefined)[];
  sum?: number;
  count?: number;
}

/** One metric: its series keyed by label values (in the definition's label order). */
export class Family {
  readonly series = new Map<string, Series>();
  droppedSeries = 0;

  /** `bounds`: a histogram's bucket upper bounds, seconds, ascending. */
  constructor(readonly def: MetricDefinition, private readonly maxSeries: number, readonly bounds: readonly number[] = []) {}

  private get(values: readonly string[]): Series | undefined {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= this.maxSeries) {
        this.droppedSeries++;
        return undefined;
      }
      s = { labels: values, value: 0 };
      if (this.def.type === 'histogram') Object.assign(s, { buckets: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 });
      this.series.set(key, s);
    }
    return s;
  }

  inc(values: readonly string[], by = 1): void {
    const s = this.get(values);
    if (s) s.value += by;
  }

  set(values: readonly string[], value: number): void {
    const s = this.get(values);
    if (s) s.value = value;
  }

  observe(values: readonly string[], value: number, exemplar?: BucketExemplar): void {
    const s = this.get(values);
    if (!s || !s.buckets) return;
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    (s.buckets[i] as number)++;
    if (exemplar !== undefined) (s.exemplars ??= [])[i] = exemplar;
    s.sum = (s.sum ?? 0) + value;
    s.count = (s.count ?? 0) + 1;
  }

  /** Replaces a histogram series with cumulative counts at each bound (`cumulative[i]` = values ≤ bounds[i]). */
  setHistogram(values: readonly string[], cumulative: readonly number[], sum: number, count: number): void {
    const s = this.get(values);
    if (!s || !s.buckets) return;
    let below = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      const at = Math.min(count, Math.max(below, cumulative[i] ?? below));
      s.buckets[i] = at - below;
      below = at;
    }
    s.buckets[this.bounds.length] = count - below;
    s.sum = sum;
    s.count = count;
  }

  /**
   * Text lines of this family, with `common` label pairs first on every series. OpenMetrics names a counter family
   * without its `_total` suffix (the samples keep it) and adds the bucket exemplars.
   */
  render(common: readonly (readonly [string, string])[], format: ExpositionFormat = 'text'): string {
    const { name, type, help, labels } = this.def;
    const om = format === 'openmetrics';
    const family = om && type === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
    const helpText = om ? help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    let out = `# HELP ${family} ${helpText}\n# TYPE ${family} ${type}\n`;
    const exemplar = (s: Series, i: number): string => {
      const e = om ? s.exemplars?.[i] : undefined;
      return e === undefined ? '' : ` # {trace_id="${escapeLabelValue(e.traceId)}"} ${num(e.value)} ${e.timestampSec.toFixed(3)}`;
    };
    for (const s of this.series.values()) {
      const pairs = [...common, ...labels.map((l, i) => [l, s.labels[i] ?? ''] as const)];
      if (type !== 'histogram') {
        out += `${name}${labelText(pairs)} ${num(s.value)}\n`;
        continue;
      }
      let cumulative = 0;
      this.bounds.forEach((b, i) => {
        cumulative += s.buckets?.[i] ?? 0;
        out += `${name}_bucket${labelText([...pairs, ['le', num(b)]])} ${cumulative}${exemplar(s, i)}\n`;
      });
      out += `${name}_bucket${labelText([...pairs, ['le', '+Inf']])} ${s.count ?? 0}${exemplar(s, this.bounds.length)}\n`;
      out += `${name}_sum${labelText(pairs)} ${num(s.sum ?? 0)}\n${name}_count${labelText(pairs)} ${s.count ?? 0}\n`;
    }
    return out;
  }
}

function labelText(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}
