/**
 * @module run/control-room: the run's timeline as the report draws it (same geometry and classes) — phases as bands,
 * each fault's planned window outlined and its real window from the journal filled — plus a moving "now" marker.
 */
import { formatClock } from '../../core/index.js';
import type { Plan } from '../../plan/index.js';
import { CHART_GEOMETRY as G, chartX } from '../../reports/index.js';
import { escapeHtml } from './escape.js';
import type { LiveFault } from './fault-windows.js';

const ROW = 26;
const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();

export function renderLiveTimeline(plan: Plan, faults: readonly LiveFault[], nowMs: number | undefined): string {
  const runMs = Math.max(1, plan.runLengthMs);
  const x = (ms: number): number => chartX(Math.min(Math.max(0, ms), runMs), runMs);
  const height = G.top + ROW * (1 + Math.max(1, faults.length)) + 24;
  const phases = plan.phases.map((p) => {
    const x0 = x(p.startMs);
    const w = x(p.endMs) - x0;
    return `<rect class="band phase-${escapeHtml(p.name)}" x="${r1(x0)}" y="${G.top}" width="${r1(w)}" height="${ROW - 4}"/>` +
      `<text class="band-label" x="${r1(x0 + w / 2)}" y="${G.top + 15}" text-anchor="middle">${escapeHtml(p.name)} ${formatClock(p.startMs)}–${formatClock(p.endMs)}</text>`;
  });
  const rows = faults.map((f, i) => {
    const y = G.top + ROW * (i + 1);
    const planned = `<rect class="planned-window" x="${r1(x(f.plannedStartMs))}" y="${y}" width="${r1(Math.max(1, x(f.plannedEndMs) - x(f.plannedStartMs)))}" height="${ROW - 6}"/>`;
    const end = f.offMs ?? nowMs ?? f.onMs;
    const real = f.onMs === undefined || end === undefined ? ''
      : `<rect class="fault-window fault-bar${f.active ? ' active' : ''}" data-fault="${escapeHtml(f.name)}" data-start-ms="${Math.round(f.onMs)}"${f.offMs === undefined ? '' : ` data-end-ms="${Math.round(f.offMs)}"`} x="${r1(x(f.onMs))}" y="${y}" width="${r1(Math.max(1, x(end) - x(f.onMs)))}" height="${ROW - 6}"/>`;
    const state = f.active ? 'ON' : f.offMs !== undefined ? `${formatClock(f.onMs ?? 0)}–${formatClock(f.offMs)}${f.offMs < f.plannedEndMs - 500 ? ' ended early' : ''}` : 'planned';
    const label = `<text class="fault-row-label" x="${r1(x(f.plannedStartMs) + 4)}" y="${y + 14}">${escapeHtml(f.name)} · ${escapeHtml(f.proxy)} ${escapeHtml(f.toxic)} · ${escapeHtml(state)}</text>`;
    return planned + real + label;
  });
  const now = nowMs === undefined ? '' : `<line class="now-marker" x1="${r1(x(nowMs))}" x2="${r1(x(nowMs))}" y1="${G.top - 6}" y2="${height - 20}"/>` +
    `<text class="now-label" x="${r1(x(nowMs))}" y="${G.top - 2}" text-anchor="${nowMs > runMs * 0.9 ? 'end' : 'start'}">now ${formatClock(nowMs)}</text>`;
  const ticks = Array.from({ length: 7 }, (_, i) => {
    const ms = (runMs * i) / 6;
    return `<text class="tick" x="${r1(x(ms))}" y="${height - 6}" text-anchor="${i === 0 ? 'start' : i === 6 ? 'end' : 'middle'}">${formatClock(ms)}</text>`;
  });
  return `<svg class="timeline-band live" viewBox="0 0 ${G.width} ${height}" role="img" aria-label="phases, fault windows and now">${phases.join('')}${rows.join('')}${now}${ticks.join('')}</svg>`;
}
