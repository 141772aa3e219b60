/**
 * @module run/control-room: one snapshot of the page — the same numbers the terminal shows (tick stats), the report's
 * tiles, SLO cards, verdicts and charts over the run so far, the live timeline, the controls and the journal feed.
 * Built once a second for every open page alike, as HTML fragments the page swaps in.
 */
import { formatClock, type JournalEntry } from '../../core/index.js';
import type { Plan } from '../../plan/index.js';
import { renderCharts, type ChartInput, reportBanner, reportFindings, reportSloSection, reportTiles, reportVerdictSection, type RunResults } from '../../reports/index.js';
import type { TickStats } from '../events.js';
import { escapeHtml as esc } from './escape.js';
import type { LiveFault } from './fault-windows.js';
import { renderLiveTimeline } from './timeline-svg.js';

export type RoomState = 'starting' | 'live' | 'ended';

/** What the page receives once a second (and once at connect). */
export interface Snapshot {
  readonly state: RoomState;
  readonly atMs: number | null;
  readonly phase: string | null;
  readonly stats: TickStats | null;
  readonly faults: readonly LiveFault[];
  /** Element id → inner HTML. */
  readonly html: Readonly<Record<string, string>>;
}

export interface ViewInput {
  readonly state: RoomState;
  readonly plan: Plan | undefined;
  readonly atMs: number | undefined;
  readonly phase: string | undefined;
  readonly stats: TickStats | undefined;
  readonly faults: readonly LiveFault[];
  /** The evaluation the SLO cards and verdicts show (the final one once the run ended). */
  readonly results: RunResults | undefined;
  /** Run offset of a live `results` (re-evaluated with each snapshot, once a second). */
  readonly evaluatedAtMs: number | undefined;
  /** This second's timeline and fault windows, for the charts. */
  readonly chartResults: ChartInput | undefined;
  readonly journal: readonly JournalEntry[];
  /** The latest progress line before the phases start. */
  readonly message: string | undefined;
  /** Path of report.html on this server, once written. */
  readonly reportHref: string | undefined;
}

const FEED_LINES = 40;

export function buildSnapshot(v: ViewInput): Snapshot {
  const r = v.results;
  const isEnded = v.state === 'ended' && r !== undefined;
  const html: Record<string, string> = {
    status: statusHtml(v),
    timeline: v.plan ? renderLiveTimeline(v.plan, v.faults, isEnded ? undefined : v.atMs) : '',
    now: isEnded ? reportTiles(r) : nowTiles(v),
    controls: controlsHtml(v),
    slos: r ? `${asOf(v)}${reportSloSection(r)}` : v.state === 'live' ? '<h2 id="slos">SLOs and error budget</h2><p class="dim">evaluated once the first second is in…</p>' : '',
    charts: isEnded ? `<h2 id="charts-title">Per second</h2>${renderCharts(r, r.meta.durationMs)}` : v.chartResults ? `<h2 id="charts-title">Per second</h2>${renderCharts(v.chartResults, v.plan?.runLengthMs ?? 1)}` : '',
    verdicts: r ? `${reportVerdictSection(r)}${isEnded ? reportFindings(r) : ''}` : '',
    journal: feedHtml(v.journal),
  };
  for (const [id, fragment] of Object.entries(html)) html[id] = withoutInlineStyles(fragment);
  return { state: v.state, atMs: v.atMs ?? null, phase: v.phase ?? null, stats: v.stats ?? null, faults: v.faults, html };
}

/** The report's meters and legend keys carry `style="…"`, which the page's CSP refuses; the script applies them instead. */
const withoutInlineStyles = (html: string): string => html.replace(/ style="([^"]*)"/g, ' data-style="$1"');

const asOf = (v: ViewInput): string =>
  v.state === 'ended' || v.evaluatedAtMs === undefined ? '' : `<p class="dim as-of">SLOs and verdicts as of ${formatClock(v.evaluatedAtMs)} of the run (re-evaluated every second)</p>`;

function statusHtml(v: ViewInput): string {
  const name = esc(v.plan?.name ?? 'game day');
  if (v.state === 'ended' && v.results) {
    const link = v.reportHref ? `<p class="report-link"><a href="${esc(v.reportHref)}">Open the full report (report.html)</a></p>` : '';
    return `${reportBanner(v.results)}${link}`;
  }
  if (v.state === 'starting' || v.atMs === undefined) return `<header class="banner live"><h1>STARTING · ${name}</h1><p>${esc(v.message ?? 'preparing the run')}</p></header>`;
  const length = v.plan?.runLengthMs ?? 0;
  return `<header class="banner live"><h1>LIVE · ${name} · <span data-phase>${esc(v.phase ?? '')}</span></h1>` +
    `<p><span data-clock>${formatClock(v.atMs)}</span> of ${formatClock(length)} · ${formatClock(Math.max(0, length - v.atMs))} left</p></header>`;
}

function nowTiles(v: ViewInput): string {
  const s = v.stats;
  const tile = (label: string, key: string, value: string, state: 'ok' | 'bad' | '' = ''): string =>
    `<div class="tile ${state}"><small>${esc(label)}</small><b data-stat="${key}">${esc(value)}</b></div>`;
  if (!s) return '';
  return `<section class="tiles">${[
    tile('requests / s', 'rps', String(Math.round(s.rps))),
    tile('p95 (last second)', 'p95', s.p95Ms === undefined ? '–' : `${Math.round(s.p95Ms)} ms`),
    tile('errors (last second)', 'errors', `${(s.errorRate * 100).toFixed(1)}%`, s.errorRate > 0 ? 'bad' : 'ok'),
    tile('VUs', 'vus', String(s.vus)),
    tile('requests so far', 'requests', String(s.requests)),
    tile('faults on', 'faults', String(v.faults.filter((f) => f.active).length), v.faults.some((f) => f.active) ? 'bad' : ''),
    phiTile(v.results?.phi ?? null, tile),
  ].join('')}</section>`;
}

/** PHI findings so far where the collectors scan spans as they arrive; otherwise the scan comes after the run. */
function phiTile(phi: RunResults['phi'], tile: (label: string, key: string, value: string, state?: 'ok' | 'bad' | '') => string): string {
  if (!phi) return tile('PHI findings', 'phi', 'after the run');
  if (phi.scan === 'off') return tile('PHI findings', 'phi', 'scan off');
  return tile('PHI findings', 'phi', String(phi.total), phi.total > 0 ? 'bad' : 'ok');
}

function controlsHtml(v: ViewInput): string {
  if (v.state !== 'live') return '';
  const faults = v.faults.filter((f) => f.active).map((f) =>
    `<button type="button" class="end-fault" data-control="end-fault" data-fault="${esc(f.name)}">End fault “${esc(f.name)}” now <small>${esc(f.proxy)} ${esc(f.toxic)}</small></button>`);
  return `<button type="button" class="halt" data-control="halt">Halt now</button>${faults.join('')}`;
}

function feedHtml(journal: readonly JournalEntry[]): string {
  const lines = journal.slice(-FEED_LINES).reverse().map((e) => {
    const detail = [e.phase, e.toxic, e.type, e.proxy, e.reason, e.error].filter(Boolean).join(' · ');
    return `<li class="${e.outcome === 'ok' ? '' : 'fail'} act-${esc(e.action)}"><time>${formatClock(e.offsetMs)}</time> <b>${esc(e.action)}</b> ${esc(detail)}</li>`;
  });
  return `<h2>Journal</h2><ol class="feed">${lines.join('')}</ol>`;
}
