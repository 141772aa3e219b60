/** @module reports/writers/html: server-side SVG line charts over the run, phases and fault windows shaded. */
import { clock } from '../../format.js';
import type { FaultWindow, PhaseResult } from '../../results/types.js';
import { esc } from './escape.js';

interface ChartSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly ChartSeries[];
  /** How to shrink long runs to MAX_POINTS: peaks (latency, errors) or means (rates). */
  readonly reduce: 'max' | 'mean';
  readonly format: (v: number) => string;
}

export interface Axis {
  readonly runMs: number;
  readonly stepMs: number;
  readonly phases: readonly PhaseResult[];
  readonly faults: readonly FaultWindow[];
}

/** Chart geometry (viewBox units); tests recompute fault-window x positions from these. */
export const GEOMETRY = { width: 960, height: 220, left: 56, right: 12, top: 14, bottom: 26 } as const;
const MAX_POINTS = 900;
const plotWidth = GEOMETRY.width - GEOMETRY.left - GEOMETRY.right;
const plotHeight = GEOMETRY.height - GEOMETRY.top - GEOMETRY.bottom;

/** x of a run offset in the chart's viewBox. */
export const xOf = (ms: number, runMs: number): number => GEOMETRY.left + (runMs > 0 ? (ms / runMs) * plotWidth : 0);

function shrink(values: readonly (number | null)[], reduce: 'max' | 'mean'): { index: number; value: number | null }[] {
  const per = Math.max(1, Math.ceil(values.length / MAX_POINTS));
  const out: { index: number; value: number | null }[] = [];
  for (let i = 0; i < values.length; i += per) {
    let acc: number | null = null;
    let n = 0;
    for (let k = i; k < Math.min(values.length, i + per); k++) {
      const v = values[k];
      if (v === null || v === undefined) continue;
      acc = acc === null ? v : reduce === 'max' ? Math.max(acc, v) : acc + v;
      n++;
    }
    out.push({ index: i + (per - 1) / 2, value: acc === null ? null : reduce === 'mean' ? acc / n : acc });
  }
  return out;
}

const niceMax = (max: number): number => {
  if (max <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 5, 10].find((m) => m * mag >= max) ?? 10) * mag;
};

const r1 = (n: number): string => (Math.round(n * 10) / 10).toString();

function windows(axis: Axis): string {
  const y = GEOMETRY.top;
  const phases = axis.phases.map((p) => {
    const x0 = xOf(p.startMs, axis.runMs);
    return `<rect class="phase phase-${esc(p.name)}" x="${r1(x0)}" y="${y}" width="${r1(xOf(p.endMs, axis.runMs) - x0)}" height="${plotHeight}"><title>${esc(p.name)} ${clock(p.startMs)}–${clock(p.endMs)}</title></rect>`;
  });
  const faults = axis.faults.map((f) => {
    const x0 = xOf(f.startMs, axis.runMs);
    return `<rect class="fault-window" data-start-ms="${f.startMs}" data-end-ms="${f.endMs}" x="${r1(x0)}" y="${y}" width="${r1(Math.max(1, xOf(f.endMs, axis.runMs) - x0))}" height="${plotHeight}"><title>fault ${esc(f.name)} (${esc(f.proxy)}: ${esc(f.toxic)}) ${clock(f.startMs)}–${clock(f.endMs)}</title></rect>` +
      `<text class="fault-label" x="${r1(x0 + 3)}" y="${y + 11}">${esc(f.name)}</text>`;
  });
  return phases.join('') + faults.join('');
}

function xTicks(axis: Axis): string {
  const count = 6;
  return Array.from({ length: count + 1 }, (_, i) => {
    const ms = (axis.runMs * i) / count;
    const x = xOf(ms, axis.runMs);
    const anchor = i === 0 ? 'start' : i === count ? 'end' : 'middle';
    return `<text class="tick" x="${r1(x)}" y="${GEOMETRY.height - 8}" text-anchor="${anchor}">${clock(ms)}</text>`;
  }).join('');
}

/** One chart as an `<svg>` (viewBox-scaled, so it shrinks on a phone). */
export function renderChart(spec: ChartSpec, axis: Axis): string {
  const shrunk = spec.series.map((s) => ({ s, points: shrink(s.values, spec.reduce) }));
  const max = niceMax(Math.max(0, ...shrunk.flatMap((x) => x.points.map((p) => p.value ?? 0))));
  const yOf = (v: number): number => GEOMETRY.top + plotHeight - (v / max) * plotHeight;
  const lines = shrunk.map(({ s, points }) => {
    let d = '';
    let pen = false;
    for (const p of points) {
      if (p.value === null) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${r1(xOf((p.index + 0.5) * axis.stepMs, axis.runMs))} ${r1(yOf(p.value))}`;
      pen = true;
    }
    return `<path class="series" data-series="${esc(s.name)}" data-points="${points.filter((p) => p.value !== null).length}" d="${d}" stroke="${s.color}"/>`;
  });
  const grid = [0, 0.5, 1].map((f) => {
    const y = GEOMETRY.top + plotHeight - f * plotHeight;
    return `<line class="grid" x1="${GEOMETRY.left}" x2="${GEOMETRY.width - GEOMETRY.right}" y1="${r1(y)}" y2="${r1(y)}"/>` +
      `<text class="tick" x="${GEOMETRY.left - 6}" y="${r1(y + 4)}" text-anchor="end">${esc(spec.format(max * f))}</text>`;
  });
  const legend = spec.series.map((s) => `<span class="key"><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join('');
  return `<figure class="chart" id="${esc(spec.id)}"><figcaption>${esc(spec.title)} <small>${esc(spec.unit)}</small><span class="legend">${legend}</span></figcaption>` +
    `<svg viewBox="0 0 ${GEOMETRY.width} ${GEOMETRY.height}" role="img" aria-label="${esc(spec.title)}">` +
    `${windows(axis)}${grid.join('')}${lines.join('')}${xTicks(axis)}</svg></figure>`;
}

/** The run at a glance: phases as coloured bands, fault windows as labelled bars below them. */
export function renderTimelineBand(axis: Axis): string {
  const rowH = 26;
  const height = GEOMETRY.top + rowH * (1 + Math.max(1, axis.faults.length)) + 30;
  const phases = axis.phases.map((p) => {
    const x0 = xOf(p.startMs, axis.runMs);
    const w = xOf(p.endMs, axis.runMs) - x0;
    return `<rect class="band phase-${esc(p.name)}" x="${r1(x0)}" y="${GEOMETRY.top}" width="${r1(w)}" height="${rowH - 4}"/>` +
      `<text class="band-label" x="${r1(x0 + w / 2)}" y="${GEOMETRY.top + 15}" text-anchor="middle">${esc(p.name)} ${clock(p.startMs)}–${clock(p.endMs)}</text>`;
  });
  const faults = axis.faults.map((f, i) => {
    const x0 = xOf(f.startMs, axis.runMs);
    const y = GEOMETRY.top + rowH * (i + 1);
    return `<rect class="fault-window fault-bar" data-start-ms="${f.startMs}" data-end-ms="${f.endMs}" x="${r1(x0)}" y="${y}" width="${r1(Math.max(1, xOf(f.endMs, axis.runMs) - x0))}" height="${rowH - 6}"/>` +
      `<text class="fault-bar-label" x="${r1(x0 + 4)}" y="${y + 14}">${esc(f.name)} · ${esc(f.proxy)} ${esc(f.toxic)} ${clock(f.startMs)}–${clock(f.endMs)}</text>`;
  });
  const band = { ...axis, phases: [], faults: [] };
  return `<svg class="timeline-band" viewBox="0 0 ${GEOMETRY.width} ${height}" role="img" aria-label="phases and fault windows">` +
    `${phases.join('')}${faults.join('')}<g transform="translate(0 ${height - GEOMETRY.height})">${xTicks(band)}</g></svg>`;
}
