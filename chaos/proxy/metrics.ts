/**
 * @module chaos/proxy: Toxiproxy's proxy byte counters (`toxiproxy_proxy_{received,sent}_bytes_total`), counted
 * live as bytes move (Toxiproxy adds them only when a connection closes).
 */
import { escapeLabelValue } from '../../core/prometheus.js';

export interface ProxyLabels {
  readonly proxy: string;
  readonly listener: string;
  readonly upstream: string;
}

/** One label set's counters; links hold it and add to it directly (no lookups per chunk). */
export interface ByteCounter {
  received: number;
  sent: number;
}

interface Series {
  readonly labels: ProxyLabels & { readonly direction: string };
  readonly counter: ByteCounter;
}

export class ProxyMetrics {
  private readonly series = new Map<string, Series>();
  /** Counted elsewhere (the native relay's thread) and added to the counters before each render. */
  private readonly sources = new Set<() => void>();

  addSource(sync: () => void): void {
    this.sources.add(sync);
  }

  removeSource(sync: () => void): void {
    this.sources.delete(sync);
  }

  /** The counter cell for a label set and direction, created on first use. */
  counter(labels: ProxyLabels, direction: string): ByteCounter {
    const key = `${labels.proxy}\u0000${labels.listener}\u0000${labels.upstream}\u0000${direction}`;
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { ...labels, direction }, counter: { received: 0, sent: 0 } };
      this.series.set(key, series);
    }
    return series.counter;
  }

  /** Prometheus text exposition, sorted by label set for stable output. */
  render(): string {
    for (const sync of this.sources) sync();
    const lines: string[] = [];
    const keys = [...this.series.keys()].sort();
    for (const [kind, help] of [
      ['received', 'The total bytes received from the source'],
      ['sent', 'The total bytes sent to the destination'],
    ] as const) {
      const name = `toxiproxy_proxy_${kind}_bytes_total`;
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const key of keys) {
        const s = this.series.get(key) as Series;
        const l = s.labels;
        const esc = escapeLabelValue;
        const set = `direction="${esc(l.direction)}",listener="${esc(l.listener)}",proxy="${esc(l.proxy)}",upstream="${esc(l.upstream)}"`;
        lines.push(`${name}{${set}} ${s.counter[kind]}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
