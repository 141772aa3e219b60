/** @module reports/writers: `report.html` — one self-contained page (inline CSS and SVG, no script, no network). */
import { humanDuration, ms, pct } from '../format.js';
import type { RunResults } from '../results/types.js';
import { esc } from './html/escape.js';
import { banner, findingsSection, glance, journalSection, phaseTableSection, resilienceSection, sloSection, tiles, verdictSection } from './html/sections.js';
import { slowestRequestsSection } from './html/exemplars.js';
import { CSS } from './html/style.js';
import { attributionSection } from './html/attribution.js';
import { waterfallSection } from './html/waterfall-svg.js';
import { renderChart, renderTimelineBand, type Axis, type ChartSpec } from './html/svg-chart.js';
import type { ReportWriter } from './writer.js';

const PALETTE = ['#0969da', '#8250df', '#bf3989', '#1a7f37', '#bc4c00', '#57606a', '#0550ae', '#6639ba'];
const LATENCY = { p50: '#1a7f37', p95: '#bc4c00', p99: '#b3261e' };

/** What the charts read of a run (a live run has these before it has the rest). */
export type ChartInput = Pick<RunResults, 'timeline' | 'servicePhases' | 'phases' | 'faults' | 'hl7'>;

// Axis labels: seconds past 1 s keep them short enough for the label column ("12.5 s", not "12500 ms").
const msFormat = (v: number): string => (v >= 1000 ? humanDuration(v) : ms(v));

/** HL7 messages per second, ACK time and failed share (`mllp` steps), scenarios apart when there are several. */
function hl7Charts(h: NonNullable<ChartInput['hl7']>): ChartSpec[] {
  const o = h.timeline.overall;
  const scenarios = Object.entries(h.timeline.scenarios);
  const each = (pick: (c: typeof o) => readonly (number | null)[]) =>
    scenarios.length > 1 ? scenarios.map(([n, c], i) => ({ name: n, values: pick(c), color: PALETTE[i % PALETTE.length] as string })) : [];
  return [
    { id: 'chart-hl7-rate', title: 'HL7 messages per second (by ACK or failure)', unit: 'msg/s', reduce: 'mean', integer: true, format: (v) => String(Math.round(v)), series: [
      { name: 'all', values: o.messages, color: '#1f2328' }, ...each((c) => c.messages),
    ] },
    { id: 'chart-hl7-ack', title: 'ACK time (all HL7 messages)', unit: 'ms', reduce: 'max', format: msFormat, series: [
      { name: 'p50', values: o.p50Ms, color: LATENCY.p50 }, { name: 'p95', values: o.p95Ms, color: LATENCY.p95 }, { name: 'p99', values: o.p99Ms, color: LATENCY.p99, dashed: true },
    ] },
    { id: 'chart-hl7-failed', title: 'Failed HL7 messages (no ACK, AE/AR, timeout, reset)', unit: '% failed', reduce: 'max', format: (v) => pct(v, 1), series: [
      { name: 'all', values: o.failedRate, color: '#b3261e' }, ...each((c) => c.failedRate),
    ] },
  ];
}

/** Requests per second, latency (raw and from the intended start) and error rate. */
function httpCharts(t: ChartInput['timeline']): ChartSpec[] {
  const scenarios = Object.entries(t.scenarios);
  return [
    // By intended start when the engine recorded it (the load as offered); by completion otherwise (k6's http_reqs).
    { id: 'chart-rps', title: `Requests per second ${t.overall.requestsByIntendedStart ? 'by intended start' : 'by completion'}`, unit: 'req/s', reduce: 'mean', integer: true, format: (v) => String(Math.round(v)), series: [
      { name: 'all', values: t.overall.requestsByIntendedStart ?? t.overall.requests, color: '#1f2328' },
      ...(scenarios.length > 1 ? scenarios.map(([n, s], i) => ({ name: n, values: s.requestsByIntendedStart ?? s.requests, color: PALETTE[i % PALETTE.length] as string })) : []),
    ] },
    { id: 'chart-latency', title: 'Latency (all requests)', unit: 'ms', reduce: 'max', format: msFormat, series: [
      { name: 'p50', values: t.overall.p50Ms, color: LATENCY.p50 }, { name: 'p95', values: t.overall.p95Ms, color: LATENCY.p95 }, { name: 'p99', values: t.overall.p99Ms, color: LATENCY.p99, dashed: true },
    ] },
    ...(t.overall.p95IntendedMs && t.overall.p99IntendedMs ? [{ id: 'chart-latency-intended', title: 'Latency from the intended start (coordinated omission corrected)', unit: 'ms', reduce: 'max' as const, format: msFormat, series: [
      { name: 'p95 intended', values: t.overall.p95IntendedMs, color: LATENCY.p95 }, { name: 'p99 intended', values: t.overall.p99IntendedMs, color: LATENCY.p99, dashed: true },
      { name: 'p95 from start', values: t.overall.p95Ms, color: '#57606a', dashed: true },
    ] }] : []),
    { id: 'chart-errors', title: 'Error rate', unit: '% failed', reduce: 'max', format: (v) => pct(v, 1), series: [
      { name: 'all', values: t.overall.errorRate, color: '#b3261e' },
      ...(scenarios.length > 1 ? scenarios.map(([n, s], i) => ({ name: n, values: s.errorRate, color: PALETTE[i % PALETTE.length] as string })) : []),
    ] },
  ];
}

function charts(r: ChartInput): ChartSpec[] {
  const t = r.timeline;
  // A plan of `mllp` steps only sent no request: its message charts replace the empty request charts.
  const hasRequests = t.overall.requests.some((n) => n > 0) || !r.hl7;
  const specs: ChartSpec[] = [...(hasRequests ? httpCharts(t) : []), ...(r.hl7 ? hl7Charts(r.hl7) : [])];
  const services = Object.entries(t.services).map(([n, s]) => ({ name: n, values: s.p95Ms }));
  const perPhase = services.length ? [] : servicesByPhase(r);
  if (services.length || perPhase.length) {
    specs.push({ id: 'chart-services', title: `Server span p95 per service${perPhase.length ? ' (per phase)' : ''}`, unit: 'ms', reduce: 'max', format: msFormat,
      series: [...services, ...perPhase].map((s, i) => ({ ...s, color: PALETTE[(i + 3) % PALETTE.length] as string })) });
  }
  if (t.overall.vus.some((v) => v !== null)) {
    specs.push({ id: 'chart-vus', title: 'Active VUs and dropped iterations', unit: 'count', reduce: 'max', integer: true, format: (v) => String(Math.round(v)), series: [
      { name: 'VUs', values: t.overall.vus, color: '#0969da' }, { name: 'dropped iterations', values: t.overall.droppedIterations, color: '#b3261e' },
    ] });
  }
  return specs;
}

/** Without per-second span data: each service's per-phase p95 as a step line over the phase's seconds. */
function servicesByPhase(r: ChartInput): { name: string; values: (number | null)[] }[] {
  const names = [...new Set(r.servicePhases.map((s) => s.service))];
  return names.map((name) => ({
    name,
    values: r.timeline.startMs.map((at) => {
      const phase = r.phases.find((p) => at >= p.startMs && at < p.endMs);
      return r.servicePhases.find((s) => s.service === name && s.phase === phase?.name)?.p95Ms ?? null;
    }),
  }));
}

/** The report's chart figures; a live run draws them on its planned length (`runMs`), so they fill in from the left. */
export function renderCharts(r: ChartInput, runMs: number): string {
  const axis: Axis = { runMs, stepMs: r.timeline.stepMs, phases: r.phases, faults: r.faults };
  return charts(r).map((c) => renderChart(c, axis)).join('');
}

/** The whole page. */
export function renderHtml(r: RunResults): string {
  const axis: Axis = { runMs: r.meta.durationMs, stepMs: r.timeline.stepMs, phases: r.phases, faults: r.faults };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(r.meta.status.toUpperCase())} · ${esc(r.meta.name)} · codeblue</title><style>${CSS}</style></head><body>` +
    `${banner(r)}<main>${tiles(r)}${glance(r)}${sloSection(r)}${resilienceSection(r)}${attributionSection(r)}` +
    `<h2 id="timeline">Timeline</h2>${renderTimelineBand(axis)}${charts(r).map((c) => renderChart(c, axis)).join('')}${waterfallSection(r)}` +
    `${verdictSection(r)}${findingsSection(r)}${slowestRequestsSection(r)}${phaseTableSection(r)}${journalSection(r)}` +
    `<p class="dim"><small>codeblue report · results.json schema v${r.schemaVersion} · plan ${esc(r.meta.planFile)}</small></p></main></body></html>\n`;
}

export const htmlWriter: ReportWriter = { format: 'html', file: 'report.html', render: renderHtml };
