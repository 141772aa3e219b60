/**
 * @module chaos/proxy: Toxiproxy's proxy byte counters (`toxiproxy_proxy_{received,sent}_bytes_total`), counted
 * live as bytes move (Toxiproxy adds them only when a connection closes).
 */

export interface ProxyLabels {
  readonly proxy: string;
  readonly listener: string;
  readonly upstream: string;
}

type Key = string;

export class ProxyMetrics {
  private readonly received = new Map<Key, number>();
  private readonly sent = new Map<Key, number>();
  private readonly labels = new Map<Key, ProxyLabels & { direction: string }>();

  add(kind: 'received' | 'sent', labels: ProxyLabels, direction: string, bytes: number): void {
    const key = `${labels.proxy}\u0000${labels.listener}\u0000${labels.upstream}\u0000${direction}`;
    if (!this.labels.has(key)) this.labels.set(key, { ...labels, direction });
    const map = kind === 'received' ? this.received : this.sent;
    map.set(key, (map.get(key) ?? 0) + bytes);
  }

  /** Prometheus text exposition, sorted by label set for stable output. */
  render(): string {
    const lines: string[] = [];
    const keys = [...this.labels.keys()].sort();
    for (const [kind, map, help] of [
      ['received', this.received, 'The total bytes received from the source'],
      ['sent', this.sent, 'The total bytes sent to the destination'],
    ] as const) {
      const name = `toxiproxy_proxy_${kind}_bytes_total`;
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const key of keys) {
        const l = this.labels.get(key);
        if (!l) continue;
        const set = `direction="${esc(l.direction)}",listener="${esc(l.listener)}",proxy="${esc(l.proxy)}",upstream="${esc(l.upstream)}"`;
        lines.push(`${name}{${set}} ${map.get(key) ?? 0}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function esc(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
