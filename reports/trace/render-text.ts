/** @module reports/trace: a trace waterfall for the terminal — pure, data → lines; colour is the caller's choice. */
import type { TraceWaterfall } from '../../collectors/index.js';
import { humanDuration, ms } from '../format.js';

/** How the caller colours (cli/ui's painter fits); identity functions for plain text. */
export interface TracePaint {
  readonly bad: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const PLAIN: TracePaint = { bad: (s) => s, dim: (s) => s, bold: (s) => s };
const LABEL_WIDTH = 44;
const NUMBERS_WIDTH = 22;
const MIN_BAR = 10;

const time = (v: number): string => (v >= 1000 ? humanDuration(v) : ms(v));
const fit = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

/** The bar of one span on a `width`-cell time axis: █ on the critical path, ░ off it. */
function bar(offsetMs: number, durationMs: number, totalMs: number, width: number, critical: boolean): string {
  const scale = totalMs > 0 ? width / totalMs : 0;
  const from = Math.min(width - 1, Math.floor(offsetMs * scale));
  const len = Math.max(1, Math.min(width - from, Math.round(durationMs * scale)));
  return `${' '.repeat(from)}${(critical ? '█' : '░').repeat(len)}${' '.repeat(width - from - len)}`;
}

/**
 * One line per span (tree order, indented by depth): ● marks the critical path, then duration, self time and
 * the bar; a last line walks the critical path with each span's self time.
 * @example renderTraceText(await readTrace(runDir, traceId), { columns: terminal.columns(), paint: paint(out.color) })
 */
export function renderTraceText(w: TraceWaterfall, options: { readonly columns?: number; readonly paint?: TracePaint } = {}): string[] {
  const p = options.paint ?? PLAIN;
  const barWidth = Math.max(MIN_BAR, (options.columns ?? 100) - LABEL_WIDTH - NUMBERS_WIDTH - 6);
  const critical = w.spans.filter((s) => s.critical);
  const lines = [
    `   ${p.bold('trace')}  ${w.traceId} · ${time(w.durationMs)} · ${w.spans.length} span(s)${w.omitted ? ` (${w.omitted} more left out)` : ''} · ● = critical path`,
  ];
  for (const s of w.spans) {
    const label = fit(`${'  '.repeat(Math.min(s.depth, 8))}${s.service} ${s.name}`, LABEL_WIDTH);
    const numbers = `${time(s.durationMs).padStart(9)}  self ${time(s.selfMs).padStart(8)}`;
    const row = `  ${s.critical ? '●' : '·'} ${label} ${numbers} │${bar(s.offsetMs, s.durationMs, w.durationMs, barWidth, s.critical)}│${s.isError ? ' error' : ''}`;
    lines.push(s.isError ? p.bad(row) : s.critical ? row : p.dim(row));
  }
  const slowest = [...critical].sort((a, b) => b.selfMs - a.selfMs)[0];
  lines.push('', `   critical path  ${critical.map((s) => `${s.service} ${s.name} (${time(s.selfMs)})`).join(' → ')}`);
  if (slowest) lines.push(`   most self time on the path  ${p.bold(`${slowest.service} ${slowest.name}`)}: ${time(slowest.selfMs)} of ${time(w.durationMs)}`);
  return lines;
}
