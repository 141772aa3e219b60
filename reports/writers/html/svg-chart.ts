/** @module reports/writers/html: server-side SVG line charts over the run, phases and fault windows shaded. */
import { clock } from '../../format.js';
import type { FaultWindow, PhaseResult } from '../../results/types.js';
import { esc } from './escape.js';

interface ChartSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Drawn dashed, with a marker per point, so it stays visible where it lies on another line (p99 on p95). */
  readonly dashed?: boolean;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly ChartSeries[];
  /** How to shrink long runs to MAX_POINTS: peaks (latency, errors) or means (rates). */
  readonly reduce: 'max' | 'mean';
  readonly format: (v: number) => string;
  /** Whole counts (requests, VUs): the y-axis stops on whole numbers only, so labels never repeat ("1 / 1 / 0"). */
  readonly integer?: boolean;
}

export interface Axis {
  readonly runMs: number;
  readonly stepMs: number;
  readonly phases: readonly PhaseResult[];
  readonly faults: readonly FaultWindow[];
}

/** Chart geometry (viewBox units); tests recompute fault-window x positions from these. */
export const GEOMETRY = { width: 960, height: 220, left: 76, right: 16, top: 14, bottom: 26 } as const;
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

/** The y-axis top: a round number above the data; for counts an even one, so the mid label is a whole number too. */
export function yAxisMax(dataMax: number, integer = false): number {
  const max = niceMax(dataMax);
  return integer ? Math.max(2, Math.ceil(max / 2) * 2) : max;
}

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

/** Tick steps on the run clock (ms): round seconds and minutes. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].map((s) => s * 1000);
const MAX_TICKS = 8;

/**
 * The tick step: the smallest round step giving at most 8 intervals; when that step misses a phase edge, the
 * smallest round step up to 12 intervals that lands on every phase edge (so ticks line up with the bands).
 */
export function tickStepMs(axis: Pick<Axis, 'runMs' | 'phases'>): number {
  const fits = (step: number, max: number): boolean => axis.runMs / step <= max;
  const plain = TICK_STEPS.find((s) => fits(s, MAX_TICKS)) ?? Math.ceil(axis.runMs / MAX_TICKS / 1000) * 1000;
  const edges = axis.phases.flatMap((p) => [p.startMs, p.endMs]).filter((e) => e > 0 && e < axis.runMs);
  const onEdges = (step: number): boolean => edges.every((e) => e % step === 0);
  if (onEdges(plain)) return plain;
  return TICK_STEPS.find((s) => s >= plain / 2 && fits(s, 12) && onEdges(s)) ?? plain;
}

function xTicks(axis: Axis): string {
  const step = tickStepMs(axis);
  const out: string[] = [];
  for (let at = 0; at <= axis.runMs; at += step) {
    const x = xOf(at, axis.runMs);
    // The first and a tick at the very end are anchored inward so their text stays inside the chart.
    const anchor = at === 0 ? 'start' : axis.runMs - at < step / 4 ? 'end' : 'middle';
    out.push(`<line class="tick-mark" x1="${r1(x)}" x2="${r1(x)}" y1="${GEOMETRY.height - GEOMETRY.bottom}" y2="${GEOMETRY.height - GEOMETRY.bottom + 4}"/>` +
      `<text class="tick x-tick" data-ms="${at}" x="${r1(x)}" y="${GEOMETRY.height - 8}" text-anchor="${anchor}">${clock(at)}</text>`);
  }
  return out.join('');
}

/** One chart as an `<svg>` (viewBox-scaled, so it shrinks on a phone). */
export function renderChart(spec: ChartSpec, axis: Axis): string {
  const shrunk = spec.series.map((s) => ({ s, points: shrink(s.values, spec.reduce) }));
  const max = yAxisMax(Math.max(0, ...shrunk.flatMap((x) => x.points.map((p) => p.value ?? 0))), spec.integer);
  // Not one value in any series: a scale would invent numbers, so the plot says "no data" instead.
  const isEmpty = shrunk.every(({ points }) => points.every((p) => p.value === null));
  const yOf = (v: number): number => GEOMETRY.top + plotHeight - (v / max) * plotHeight;
  const lines = shrunk.map(({ s, points }) => {
    let d = '';
    let pen = false;
    for (const p of points) {
      if (p.value === null) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${r1(xOf((p.index + 0.5) * axis.stepMs, axis.runMs))} ${r1(yOf(p.value))}`;
      pen = true;
    }
    const drawn = points.filter((p) => p.value !== null);
    // Markers only while they stay apart (≤ 120 points); the dash alone tells the lines apart beyond that.
    const markers = s.dashed && drawn.length <= 120
      ? drawn.map((p) => `<circle class="marker" cx="${r1(xOf((p.index + 0.5) * axis.stepMs, axis.runMs))}" cy="${r1(yOf(p.value as number))}" r="2.2" fill="${s.color}"/>`).join('')
      : '';
    return `<path class="series${s.dashed ? ' dashed' : ''}" data-series="${esc(s.name)}" data-points="${drawn.length}" d="${d}" stroke="${s.color}"/>${markers}`;
  });
  const grid = [0, 0.5, 1].map((f) => {
    const y = GEOMETRY.top + plotHeight - f * plotHeight;
    return `<line class="grid" x1="${GEOMETRY.left}" x2="${GEOMETRY.width - GEOMETRY.right}" y1="${r1(y)}" y2="${r1(y)}"/>` +
      (isEmpty ? '' : `<text class="tick y-tick" x="${GEOMETRY.left - 6}" y="${r1(y + 4)}" text-anchor="end">${esc(spec.format(max * f))}</text>`);
  });
  if (isEmpty) grid.push(`<text class="no-data" x="${r1(GEOMETRY.left + plotWidth / 2)}" y="${r1(GEOMETRY.top + plotHeight / 2 + 4)}" text-anchor="middle">no data</text>`);
  const legend = spec.series.map((s) => `<span class="key${s.dashed ? ' dashed' : ''}"><i style="${s.dashed ? `border-top:2px dashed ${s.color}` : `background:${s.color}`}"></i>${esc(s.name)}</span>`).join('');
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
