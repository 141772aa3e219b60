/** @module cli: renders run events — a live view on a TTY, timestamped lines in CI, ndjson with --json. */
import { formatClock } from '../../core/index.js';
import type { RunEvent, RunLatency } from '../../run/index.js';
import type { Painter } from './output.js';

const BAR = 40;

/** One plain line per event (CI, no TTY). Pure. */
export function renderEventLine(e: RunEvent, p: Painter, now = new Date()): string | undefined {
  const t = p.dim(now.toISOString().slice(11, 19));
  switch (e.type) {
    case 'run-start': return `${t} run ${e.runId} · ${e.plan} · ${Math.round(e.runLengthMs / 1000)}s · folder ${e.runDir}`;
    case 'step': return `${t} ${e.message}`;
    case 'endpoints': return `${t} ${e.metricsUrl ? `metrics ${p.bold(e.metricsUrl)} (Prometheus can scrape it) · ` : ''}OTLP ${e.otlpUrl}${e.otlpGrpcUrl ? ` · OTLP/gRPC ${e.otlpGrpcUrl}` : ''} · chaos API ${e.chaosUrl}`;
    case 'waiting': return `${t} waiting for ${e.url} (${e.expect}): last ${e.last} · ${Math.round(e.elapsedMs / 1000)}s of ${Math.round(e.timeoutMs / 1000)}s`;
    case 'incident': return `${t} ${p.bad('incident')} ${e.message}`;
    case 'target-ready': return `${t} target ${e.baseUrl} is up${e.startedByUs ? ' (started by codeblue)' : ''}`;
    case 'hypothesis': return `${t} hypothesis ${e.when}: ${e.pass ? p.ok('✓') : p.bad('✗')} ${e.name} — ${e.message}`;
    case 'phase': return `${t} ${formatClock(e.atMs)} phase ${p.bold(e.phase)}`;
    case 'fault': return `${t} ${formatClock(e.atMs)} fault ${e.action === 'on' ? p.warn('ON ') : p.ok('OFF')} ${e.name} (${e.toxic} on ${e.proxy})${e.outcome === 'error' ? p.bad(` failed: ${e.error ?? ''}`) : ''}`;
    case 'tick': return e.atMs % 5000 < 1000 ? `${t} ${formatClock(e.atMs)} ${e.phase.padEnd(8)} ${stats(e)}` : undefined;
    case 'halt': return `${t} ${formatClock(e.atMs)} ${p.bad('HALT')} ${e.reason}`;
    case 'target-exit': return `${t} ${formatClock(e.atMs)} ${p.bad('target exited')} (${e.signal ?? `code ${e.code}`}) — recorded as a finding`;
    case 'rollback': return `${t} rollback: removed ${e.removed}${others(e.others?.removed)}, ${[...e.leftovers, ...(e.others?.failed ?? [])].length === 0 ? p.ok('nothing left on the chaos server') : p.bad(`left: ${[...e.leftovers, ...(e.others?.failed ?? [])].join(', ')}`)}`;
    case 'verdict': return `${t} ${verdict(e, p)}`;
    // The verdict line came first (`verdict`); this says where the reports went.
    case 'run-end': return `${t} reports written · ${e.report ? `report ${e.report}` : `run folder ${e.runDir}`}`;
  }
}

/** Dead runs' proxies a rollback also removed from the server (run/leftovers). */
const others = (removed: readonly string[] | undefined): string => (removed?.length ? ` (and ${removed.length} leftovers of dead runs: ${removed.join(', ')})` : '');

/** The compact live view redrawn on a TTY: phase bar, elapsed/remaining, rps, p95, errors, faults. Pure. */
export function renderLiveView(state: LiveState, p: Painter): string[] {
  const { start, tick } = state;
  if (!start) return [];
  const at = tick?.atMs ?? 0;
  const scale = BAR / Math.max(1, start.runLengthMs);
  const cells = Array.from({ length: BAR }, (_, i) => {
    const ms = (i + 0.5) / scale;
    const glyph = start.faults.some((f) => ms >= f.startMs && ms < f.endMs) ? '!' : (start.phases.find((ph) => ms >= ph.startMs && ms < ph.endMs)?.name ?? ' ')[0] ?? ' ';
    return ms <= at ? p.bold(glyph) : p.dim(glyph === 'b' ? '·' : glyph);
  });
  return [
    `  [${cells.join('')}] ${formatClock(at)} / ${formatClock(start.runLengthMs)}  (${formatClock(Math.max(0, start.runLengthMs - at))} left)`,
    `  ${tick ? `${tick.phase.padEnd(8)} ${stats(tick)}` : 'starting…'}`,
    `  faults: ${tick && tick.activeFaults.length > 0 ? p.warn(tick.activeFaults.join(', ')) : 'none active'}${state.halt ? `  ${p.bad(`HALT: ${state.halt}`)}` : ''}`,
    ...(state.metricsUrl ? [`  metrics: ${state.metricsUrl}`] : []),
  ];
}

export interface LiveState {
  start?: Extract<RunEvent, { type: 'run-start' }>;
  tick?: Extract<RunEvent, { type: 'tick' }>;
  halt?: string;
  /** The run's /metrics URL, once it listens. */
  metricsUrl?: string;
}

const p95 = (ms: number | undefined): string => (ms === undefined ? '—' : `${Math.round(ms)}ms`);

function stats(e: Extract<RunEvent, { type: 'tick' }>): string {
  const s = e.stats;
  const http = `${s.rps.toFixed(0).padStart(5)} req/s · p95 ${p95(s.p95Ms)} · errors ${(s.errorRate * 100).toFixed(1)}%`;
  // A plan of MLLP steps only shows its messages, not an empty HTTP line.
  const m = s.hl7;
  const hl7 = m === undefined ? '' : `${m.mps.toFixed(0).padStart(5)} msg/s · ACK p95 ${p95(m.p95Ms)} · failed ${(m.errorRate * 100).toFixed(1)}%`;
  const counts = [...(s.requests > 0 || m === undefined ? [`${s.requests} reqs`] : []), ...(m ? [`${m.messages} msgs`] : [])].join(' · ');
  const rates = m === undefined ? http : s.requests > 0 ? `${http} · ${hl7.trimStart()}` : hl7;
  return `${rates} · ${s.vus} VUs · ${counts}${s.aborted > 0 ? ` · ${s.aborted} aborted by codeblue` : ''}`;
}

/** Raw and intended-start latency side by side: they part when the target or the load generator stalled. */
function latencyLine(l: RunLatency | undefined): string {
  if (!l) return '';
  const both = (raw: number, corrected: number | undefined): string => `${Math.round(raw)}ms${corrected === undefined ? '' : ` (${Math.round(corrected)}ms from intended start)`}`;
  return `\n     latency p95 ${both(l.p95Ms, l.p95CorrectedMs)} · p99 ${both(l.p99Ms, l.p99CorrectedMs)}`;
}

function verdict(e: Extract<RunEvent, { type: 'verdict' }>, p: Painter): string {
  const head = e.status === 'passed' ? p.ok('PASS') : e.status === 'interrupted' ? p.warn('INTERRUPTED') : p.bad(e.status === 'halted' ? 'HALTED' : 'FAIL');
  const why = (e.reasons.length > 0 ? `\n${e.reasons.map((r) => `     ${p.bad('✗')} ${r}`).join('\n')}` : '') +
    (e.notes?.length ? `\n${e.notes.map((n) => `     ${p.warn('!')} not gating: ${n}`).join('\n')}` : '');
  const aborted = e.abortedRequests ? ` · ${e.abortedRequests} requests aborted by codeblue (not failures)` : '';
  return `verdict ${head} · exit ${e.exitCode} · run folder ${e.runDir}${aborted}${latencyLine(e.latency)}${why}`;
}

