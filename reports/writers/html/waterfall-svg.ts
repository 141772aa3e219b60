/** @module reports/writers/html: a trace as an inline-SVG waterfall, the critical path drawn solid, the rest pale. */
import { ms } from '../../format.js';
import type { RunResults, TraceWaterfallResult } from '../../results/types.js';
import { spanSamplingText } from '../span-sampling-text.js';
import { esc } from './escape.js';

/** Waterfall geometry (viewBox units); tests recompute bar positions from these. */
export const WATERFALL = { width: 960, labelWidth: 330, right: 16, rowHeight: 18, top: 22 } as const;
const barWidth = WATERFALL.width - WATERFALL.labelWidth - WATERFALL.right;

/** x of an offset (ms from the trace start) in a trace of `totalMs`. */
export const waterfallX = (offsetMs: number, totalMs: number): number => WATERFALL.labelWidth + (totalMs > 0 ? (offsetMs / totalMs) * barWidth : 0);

const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();
const NICE = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];

function ticks(totalMs: number, height: number): string {
  const step = NICE.find((s) => totalMs / s <= 6) ?? Math.ceil(totalMs / 6);
  const out: string[] = [];
  for (let t = 0; t <= totalMs + 1e-9; t += step) {
    const x = waterfallX(t, totalMs);
    out.push(`<line class="grid" x1="${r1(x)}" x2="${r1(x)}" y1="${WATERFALL.top - 4}" y2="${height}"/><text class="tick" x="${r1(x)}" y="12" text-anchor="${t === 0 ? 'start' : 'middle'}">${esc(ms(t))}</text>`);
  }
  return out.join('');
}

/** One waterfall, anchored `id="waterfall-<traceId>"`. */
function renderWaterfall(t: TraceWaterfallResult): string {
  const height = WATERFALL.top + t.spans.length * WATERFALL.rowHeight + 6;
  const rows = t.spans.map((s, i) => {
    const y = WATERFALL.top + i * WATERFALL.rowHeight;
    const x = waterfallX(s.offsetMs, t.durationMs);
    const w = Math.max(1, waterfallX(s.offsetMs + s.durationMs, t.durationMs) - x);
    const label = `${s.service} · ${s.name}`;
    const cut = label.length > 44 ? `${label.slice(0, 43)}…` : label;
    const cls = `wf-bar${s.critical ? ' critical' : ''}${s.error ? ' error' : ''}`;
    return `<g class="wf-row" data-span-id="${esc(s.spanId)}"><text class="wf-label" x="${4 + Math.min(s.depth, 8) * 10}" y="${y + 13}">${esc(cut)}</text>` +
      `<rect class="${cls}" x="${r1(x)}" y="${y + 3}" width="${r1(w)}" height="${WATERFALL.rowHeight - 6}"><title>${esc(label)}: ${esc(ms(s.durationMs))} (self ${esc(ms(s.selfMs))}) at +${esc(ms(s.offsetMs))}${s.critical ? ', on the critical path' : ''}${s.error ? ', error' : ''}</title></rect></g>`;
  });
  const caption = `${t.fault ?? 'baseline'} · trace <code>${esc(t.traceId)}</code> · ${esc(ms(t.durationMs))} · ${t.spans.length} spans${t.omitted ? ` (${t.omitted} more left out)` : ''}`;
  return `<figure class="waterfall" id="waterfall-${esc(t.traceId)}"><figcaption>${caption}</figcaption>` +
    `<svg viewBox="0 0 ${WATERFALL.width} ${height}" role="img" aria-label="waterfall of trace ${esc(t.traceId)}">${ticks(t.durationMs, height)}${rows.join('')}</svg></figure>`;
}

export function waterfallSection(r: RunResults): string {
  const traces = r.traces ?? [];
  const kept = r.spanSampling ? `<p id="span-sampling" class="dim"><small>${esc(spanSamplingText(r.spanSampling))}</small></p>` : '';
  if (!traces.length) return kept;
  return '<h2 id="traces">Slowest traces per fault</h2><p class="dim"><small>The critical path (solid) is the chain of spans that made the trace as long as it was; ' +
    `<code>codeblue trace &lt;run-dir&gt; &lt;traceId&gt;</code> prints any kept trace of the run.</small></p>${kept}${traces.map(renderWaterfall).join('')}`;
}
