/**
 * @module reports/evaluate: fault attribution — per fault window against the baseline, which service × span
 * took the added time (self time per request), with count, p50/p95, self-time and error deltas.
 */
import type { SpanWindowRow, SpanWindowStats } from '../../collectors/index.js';
import type { AttributionRow, FaultAttribution, FaultWindow, PhaseResult } from '../results/types.js';
import { round2 } from './timeline.js';

/** Window names shared with the orchestrator's span analysis. */
const BASELINE_WINDOW = 'baseline';
export const faultWindowName = (fault: string): string => `fault:${fault}`;

const MAX_ROWS = 20;
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export const kindName = (kind: number): string => KINDS[kind] ?? 'unspecified';

/**
 * The windows to hand to collectors' `analyzeSpans`: the baseline (its phase, else the run before the first
 * fault) and each fault window. Without a baseline there is nothing to compare against: no windows.
 */
export function attributionWindows(phases: readonly PhaseResult[], faults: readonly Pick<FaultWindow, 'name' | 'startMs' | 'endMs'>[]): { name: string; startMs: number; endMs: number }[] {
  if (faults.length === 0) return [];
  const phase = phases.find((p) => p.name === 'baseline');
  const first = Math.min(...faults.map((f) => f.startMs));
  const base = phase ? { startMs: phase.startMs, endMs: phase.endMs } : first > 0 ? { startMs: 0, endMs: first } : null;
  if (!base) return [];
  return [{ name: BASELINE_WINDOW, ...base }, ...faults.map((f) => ({ name: faultWindowName(f.name), startMs: f.startMs, endMs: f.endMs }))];
}

type Stats = NonNullable<AttributionRow['baseline']>;

function statsOf(row: SpanWindowRow | undefined, traces: number): Stats | null {
  if (!row || row.count === 0) return null;
  return {
    count: row.count, errors: row.errors, errorRate: row.errors / row.count,
    p50Ms: round2(row.duration.p50Ms), p95Ms: round2(row.duration.p95Ms), selfP50Ms: round2(row.self.p50Ms), selfP95Ms: round2(row.self.p95Ms),
    selfMsPerTrace: traces > 0 ? round2(row.self.sumMs / traces) : null,
  };
}

const delta = (a: number | null | undefined, b: number | null | undefined): number | null => (a == null || b == null ? null : round2(b - a));

/** Rows of one fault window against the baseline, biggest contribution first, then the biggest error increases. */
function rowsOf(base: SpanWindowStats, during: SpanWindowStats): { rows: AttributionRow[]; addedMsPerTrace: number } {
  const key = (r: SpanWindowRow): string => `${r.service}\u0000${r.span}`;
  const baseRows = new Map(base.rows.map((r) => [key(r), r]));
  const duringRows = new Map(during.rows.map((r) => [key(r), r]));
  const rows = [...new Set([...baseRows.keys(), ...duringRows.keys()])].map((k): Omit<AttributionRow, 'share'> => {
    const b = baseRows.get(k);
    const d = duringRows.get(k);
    const bs = statsOf(b, base.traces);
    const ds = statsOf(d, during.traces);
    const some = (d ?? b) as SpanWindowRow;
    // A span that vanished during the fault gave its time back; one that appeared added all of it.
    const added = base.traces > 0 && during.traces > 0 ? round2((ds?.selfMsPerTrace ?? 0) - (bs?.selfMsPerTrace ?? 0)) : null;
    return {
      service: some.service, span: some.span, kind: kindName(some.kind), baseline: bs, during: ds,
      countDelta: (d?.count ?? 0) - (b?.count ?? 0),
      errorRateDelta: bs && ds ? ds.errorRate - bs.errorRate : null,
      p50DeltaMs: delta(bs?.p50Ms, ds?.p50Ms), p95DeltaMs: delta(bs?.p95Ms, ds?.p95Ms),
      selfP50DeltaMs: delta(bs?.selfP50Ms, ds?.selfP50Ms), selfP95DeltaMs: delta(bs?.selfP95Ms, ds?.selfP95Ms),
      addedMsPerTrace: added,
    };
  });
  const total = rows.reduce((sum, r) => sum + Math.max(0, r.addedMsPerTrace ?? 0), 0);
  const withShare = rows.map((r): AttributionRow => ({ ...r, share: total > 0 ? Math.max(0, r.addedMsPerTrace ?? 0) / total : null }));
  const byAdded = [...withShare].sort((a, b) => (b.addedMsPerTrace ?? -Infinity) - (a.addedMsPerTrace ?? -Infinity));
  const top = byAdded.filter((r) => (r.addedMsPerTrace ?? 0) > 0).slice(0, MAX_ROWS);
  const errorsUp = withShare
    .filter((r) => !top.includes(r) && (r.during?.errors ?? 0) > (r.baseline?.errors ?? 0))
    .sort((a, b) => (b.during?.errors ?? 0) - (b.baseline?.errors ?? 0) - ((a.during?.errors ?? 0) - (a.baseline?.errors ?? 0)));
  const rest = byAdded.filter((r) => !top.includes(r) && !errorsUp.includes(r));
  return { rows: [...top, ...errorsUp, ...rest].slice(0, MAX_ROWS), addedMsPerTrace: round2(total) };
}

/** One entry per fault window that has span statistics (none without a baseline window). */
export function evaluateAttribution(windows: readonly SpanWindowStats[], faults: readonly FaultWindow[]): FaultAttribution[] {
  const base = windows.find((w) => w.name === BASELINE_WINDOW);
  if (!base) return [];
  return faults.flatMap((f): FaultAttribution[] => {
    const during = windows.find((w) => w.name === faultWindowName(f.name));
    if (!during) return [];
    const { rows, addedMsPerTrace } = rowsOf(base, during);
    return [{
      fault: f.name, startMs: f.startMs, endMs: f.endMs, baselineWindow: { startMs: base.startMs, endMs: base.endMs },
      baselineTraces: base.traces, faultTraces: during.traces,
      addedMsPerTrace, rows,
    }];
  });
}
