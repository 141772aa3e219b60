/** @module scenarios/summary: the k6-style end-of-test summary (compact mode) as lines — pure data → string[]. */
import { TIME_METRICS, type Aggregate, type MetricStore } from '../../core/metrics/index.js';
import type { ThresholdResult } from '../thresholds.js';
import type { RenderFailures } from '../engine/run-load.js';
import { formatBytes, formatMs, formatNumber, formatPercent } from './format.js';
import { sentNothingReason } from './sent-nothing.js';

/** Styling hooks (e.g. cli's `paint(color)`); identity by default. */
export interface SummaryStyle {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/** What the summary shows; a `LoadResult` satisfies it. */
export interface SummaryInput {
  readonly store: MetricStore;
  readonly thresholds: readonly ThresholdResult[];
  readonly durationMs: number;
  readonly aborted?: { readonly message: string };
  readonly errors?: readonly { readonly message: string; readonly count: number }[];
  /** Requests sent and render failures; with them the summary ends with a verdict when nothing was sent. */
  readonly requests?: number;
  readonly renderFailures?: RenderFailures;
}

const PLAIN: SummaryStyle = { ok: (s) => s, bad: (s) => s, dim: (s) => s, bold: (s) => s };
const NAME_WIDTH = 35;
const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] as const;
const HTTP = ['http_req_blocked', 'http_req_connecting', 'http_req_duration', 'http_req_duration_corrected', 'http_req_failed', 'http_req_receiving', 'http_req_sending', 'http_req_tls_handshaking', 'http_req_waiting', 'http_reqs'];
/** Messages of `mllp` steps (codeblue's own metrics; shown only when a plan sends HL7). */
const HL7 = ['hl7_msg_duration', 'hl7_msg_failed', 'hl7_msgs'];
const EXECUTION = ['dropped_iterations', 'group_duration', 'iteration_duration', 'iteration_duration_corrected', 'iterations', 'vus', 'vus_max'];
const NETWORK = ['data_received', 'data_sent'];

type Row = { name: string; cells: string[]; trend: boolean };

/**
 * Renders the summary as k6 ≥ 1.0 prints it in compact mode: █ THRESHOLDS (✓/✗ with observed values), then
 * █ TOTAL RESULTS with checks, HTTP, EXECUTION and NETWORK. codeblue adds `http_req_duration_corrected`
 * (latency from the scheduled start) next to the raw `http_req_duration`.
 */
export function renderSummary(input: SummaryInput, style: SummaryStyle = PLAIN): string[] {
  const { store } = input;
  const seconds = input.durationMs / 1000;
  const q = (metric: string, tags?: Record<string, string>): Aggregate => store.query({ metric, ...(tags ? { tags } : {}), elapsedMs: input.durationMs });
  const present = new Set(store.metrics());
  const out: string[] = [];

  if (input.thresholds.length > 0) {
    out.push(`  ${style.bold('█ THRESHOLDS')}`, '');
    const byKey = new Map<string, ThresholdResult[]>();
    for (const t of input.thresholds) byKey.set(t.key, [...(byKey.get(t.key) ?? []), t]);
    for (const [key, list] of byKey) {
      out.push(`    ${key}`);
      for (const t of list) {
        const mark = t.ok ? style.ok('✓') : style.bad('✗');
        out.push(`    ${mark} '${t.expression}' ${t.label}=${thresholdValue(t)}`);
      }
      out.push('');
    }
    out.push('');
  }

  out.push(`  ${style.bold('█ TOTAL RESULTS')}`, '');
  if (present.has('checks')) {
    const c = q('checks');
    const failed = c.samples - c.passes;
    out.push(...table([
      { name: 'checks_total', cells: [String(c.samples), `${formatNumber(seconds > 0 ? c.samples / seconds : 0)}/s`], trend: false },
      { name: 'checks_succeeded', cells: [formatPercent(c.rate), `${c.passes} out of ${c.samples}`], trend: false },
      { name: 'checks_failed', cells: [formatPercent(c.samples === 0 ? 0 : failed / c.samples), `${failed} out of ${c.samples}`], trend: false },
    ], 4), '');
    for (const name of checkNames(store)) {
      const one = q('checks', { check: name });
      if (one.passes === one.samples) out.push(`    ${style.ok('✓')} ${name}`);
      else {
        out.push(`    ${style.bad('✗')} ${name}`);
        out.push(style.dim(`      ↳  ${Math.floor(one.rate * 100)}% — ✓ ${one.passes} / ✗ ${one.samples - one.passes}`));
      }
    }
    out.push('');
  }

  const section = (title: string, metrics: readonly string[]): void => {
    const rows: Row[] = [];
    for (const m of metrics) {
      if (!present.has(m)) continue;
      rows.push(rowOf(m, q(m), seconds));
      if (m === 'http_req_duration' && present.has('http_req_duration')) {
        const expected = q(m, { expected_response: 'true' });
        if (expected.samples > 0) rows.push({ ...rowOf(m, expected, seconds), name: '  { expected_response:true }' });
      }
    }
    if (rows.length === 0) return;
    out.push(`    ${title}`, ...table(rows, 4), '');
  };
  section('HTTP', HTTP);
  section('HL7', HL7);
  section('EXECUTION', EXECUTION);
  section('NETWORK', NETWORK);

  if (input.errors && input.errors.length > 0) {
    out.push(`    ${style.bad('ERRORS')}`);
    for (const e of input.errors) out.push(`    ${e.count}× ${e.message}`);
    out.push('');
  }
  if (input.renderFailures && input.renderFailures.count > 0) {
    const first = input.renderFailures.first;
    out.push(`    ${style.bad('RENDER FAILURES')}  ${input.renderFailures.count} request(s) not sent${first ? ` · first: ${first.scenario} / ${first.name}: ${first.message}` : ''}`, '');
  }
  if (input.aborted) out.push(`  ${style.bad('█ ABORTED')}  ${input.aborted.message}`, '');
  const nothing = input.requests === undefined ? undefined : sentNothingReason({ requests: input.requests, ...(input.renderFailures ? { renderFailures: input.renderFailures } : {}) });
  if (nothing !== undefined) out.push(`  ${style.bad('█ VERDICT')}  ${style.bad('✗ FAIL')} ${nothing}`, '');
  return out;
}

function thresholdValue(t: ThresholdResult): string {
  if (t.label === 'rate' && t.metric !== 'http_reqs' && t.metric !== 'iterations' && t.metric !== 'data_sent' && t.metric !== 'data_received' && t.metric !== 'dropped_iterations') return formatPercent(t.observed);
  if (TIME_METRICS.has(t.metric)) return formatMs(t.observed);
  return formatNumber(t.observed);
}

function rowOf(metric: string, a: Aggregate, seconds: number): Row {
  switch (a.type) {
    case 'trend': {
      const f = TIME_METRICS.has(metric) ? formatMs : formatNumber;
      const v = { avg: a.avg, min: a.min, med: a.med, max: a.max, 'p(90)': a.percentile(90), 'p(95)': a.percentile(95) };
      return { name: metric, cells: TREND_STATS.map((s) => `${s}=${f(v[s])}`), trend: true };
    }
    case 'rate':
      return { name: metric, cells: [formatPercent(a.rate), `${a.passes} out of ${a.samples}`], trend: false };
    case 'counter': {
      const isData = metric === 'data_received' || metric === 'data_sent';
      const perSec = seconds > 0 ? a.count / seconds : 0;
      return { name: metric, cells: isData ? [formatBytes(a.count), `${formatBytes(perSec)}/s`] : [String(a.count), `${formatNumber(perSec)}/s`], trend: false };
    }
    case 'gauge':
      return { name: metric, cells: [String(a.value), `min=${a.min}`, `max=${a.max}`], trend: false };
  }
}

/** Dotted names to NAME_WIDTH, then cells padded per column (trend rows and other rows aligned separately). */
function table(rows: readonly Row[], indent: number): string[] {
  const widths = (trend: boolean): number[] => {
    const w: number[] = [];
    for (const r of rows) if (r.trend === trend) r.cells.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
    return w;
  };
  const tw = widths(true);
  const ow = widths(false);
  return rows.map((r) => {
    const w = r.trend ? tw : ow;
    const cells = r.cells.map((c, i) => (i === r.cells.length - 1 ? c : c.padEnd(w[i] ?? 0))).join(' ');
    return `${' '.repeat(indent)}${r.name.padEnd(NAME_WIDTH, '.')}: ${cells}`;
  });
}

function checkNames(store: MetricStore): string[] {
  const names: string[] = [];
  for (const s of store.list()) if (s.metric === 'checks' && s.tags.check !== undefined && !names.includes(s.tags.check)) names.push(s.tags.check);
  return names;
}
