/**
 * @module reports/compare: what got better or worse between two runs (QA's release gate) — SLO ratios, endpoint
 * p95/p99 and error rate per phase, recovery time, resilience score, and verdicts that flipped — noise-aware:
 * size and significance both count.
 */
import type { EndpointRow, RunResults } from '../results/types.js';
import type { LatencyCounts } from './histograms.js';
import { increaseP, shareAboveFromQuantiles } from './stats.js';

export type ChangeKind = 'slo' | 'p95' | 'p99' | 'error-rate' | 'recovery' | 'resilience' | 'verdict';

/** How a change's significance was tested: HDR histograms, a row's quantiles (estimate), event counts, or not at all. */
export type Evidence = 'histograms' | 'quantiles' | 'counts' | 'none';

export interface Change {
  readonly kind: ChangeKind;
  /** What changed, e.g. `clinicians GET /fhir/Patient/{id} [fault]`. */
  readonly subject: string;
  readonly before: number | null;
  readonly after: number | null;
  readonly direction: 'better' | 'worse' | 'same';
  /** Worse beyond the tolerance, the minimum delta and the confidence test: fails the gate. */
  readonly regression: boolean;
  /** One-sided p-value of the change in its direction (null: not tested). */
  readonly pValue: number | null;
  readonly evidence: Evidence;
}

export interface CompareOptions {
  /** Relative change allowed (0.1 = 10 %). */
  readonly tolerance: number;
  /** Latency changes smaller than this never count (ms; default 25). */
  readonly minDeltaMs?: number;
  /** Confidence a change must reach to count, 0–1 (default 0.99), for the whole comparison (Holm–Bonferroni). */
  readonly confidence?: number;
  /** Latency histograms of both runs; without them the latency test estimates from each row's quantiles. */
  readonly latency?: { readonly a: LatencyCounts | null; readonly b: LatencyCounts | null };
}

export interface Comparison {
  readonly tolerance: number;
  readonly minDeltaMs: number;
  readonly confidence: number;
  readonly changes: readonly Change[];
  readonly regressions: readonly Change[];
}

/** Noise floors under which a change never counts: 0.1 pp of errors, 1 s of recovery (latency: `minDeltaMs`). */
export const FLOORS = { latencyMs: 25, errorRate: 0.001, recoveryMs: 1000 } as const;
export const DEFAULT_CONFIDENCE = 0.99;

interface Rules {
  readonly tol: number;
  readonly minDeltaMs: number;
  readonly alpha: number;
  readonly latency: CompareOptions['latency'];
}

/** Higher is worse, judged on size alone (recovery time, resilience score: one number per run, no samples). */
function higherIsWorse(kind: ChangeKind, subject: string, before: number | null, after: number | null, tol: number, floor: number): Change {
  const base = { kind, subject, before, after, pValue: null, evidence: 'none' as const };
  if (before === null || after === null) return { ...base, direction: 'same', regression: false };
  const delta = after - before;
  const worse = delta > floor && after > before * (1 + tol);
  const better = -delta > floor && after < before * (1 - tol);
  return { ...base, direction: worse ? 'worse' : better ? 'better' : 'same', regression: worse };
}

/**
 * Share tests: is "worse" (k/n up) or "better" (k/n down) beyond chance? Returns the direction's p-value.
 * `bigEnough(worse)` holds the size rules (tolerance, minimum delta).
 */
function judged(
  kind: ChangeKind, subject: string, before: number | null, after: number | null, evidence: Evidence,
  counts: { kA: number; nA: number; kB: number; nB: number } | null, bigEnough: (worse: boolean) => boolean, alpha: number,
): Change {
  const base = { kind, subject, before, after, evidence: counts ? evidence : 'none' as const };
  if (before === null || after === null) return { ...base, direction: 'same', regression: false, pValue: null };
  const up = after > before;
  const p = counts === null ? null : up ? increaseP(counts.kA, counts.nA, counts.kB, counts.nB) : increaseP(counts.kB, counts.nB, counts.kA, counts.nA);
  // Size only here; significance is decided over all changes at once (holm below).
  const direction = !bigEnough(up) || after === before ? 'same' : up ? 'worse' : 'better';
  return { ...base, direction, regression: direction === 'worse', pValue: p === null ? null : Number(p.toPrecision(3)) };
}

/**
 * Holm–Bonferroni over the changes big enough to matter: a comparison tests dozens of endpoint × window × metric
 * pairs, and at p ≤ 0.01 each, one of them would be "significant" by chance in about every third pair of equal
 * runs. Step-down: the i-th smallest p-value of m must be ≤ alpha / (m − i); the first that is not stops the rest.
 * The chance that equal runs fail the gate stays ≤ alpha.
 */
function holm(changes: readonly Change[], alpha: number): Change[] {
  const tested = changes.filter((c) => c.direction !== 'same' && c.pValue !== null).sort((a, b) => (a.pValue as number) - (b.pValue as number));
  const rejected = new Set<Change>();
  for (let i = 0; i < tested.length; i++) {
    const c = tested[i] as Change;
    if ((c.pValue as number) > alpha / (tested.length - i)) break;
    rejected.add(c);
  }
  return changes.map((c) => (c.direction === 'same' || c.pValue === null || rejected.has(c) ? c : { ...c, direction: 'same', regression: false }));
}

function sloChanges(a: RunResults, b: RunResults, r: Rules): Change[] {
  return b.slos.flatMap((slo) => {
    const old = a.slos.find((s) => s.name === slo.name);
    if (!old) return [];
    return slo.scopes.flatMap((scope): Change[] => {
      const prev = old.scopes.find((s) => s.scope === scope.scope);
      if (!prev || prev.ratio === null || scope.ratio === null) return [];
      // Compared as bad fractions; a change must exceed tol × max(bad before, the SLO's allowance), or flip the verdict.
      const badBefore = 1 - prev.ratio;
      const badAfter = 1 - scope.ratio;
      const margin = Math.max(badBefore, 1 - slo.objective) * r.tol;
      const big = (worse: boolean): boolean => worse
        ? (prev.pass && !scope.pass && scope.gating !== false) || badAfter - badBefore > margin
        : (!prev.pass && scope.pass) || badBefore - badAfter > margin;
      const c = judged('slo', `${slo.name} [${scope.scope}]`, badBefore, badAfter, 'counts', { kA: prev.bad, nA: prev.total, kB: scope.bad, nB: scope.total }, big, r.alpha);
      // Reported as the good ratio (what the SLO states); judged on the bad share.
      const direction = c.direction;
      return [{ ...c, before: prev.ratio, after: scope.ratio, direction }];
    });
  });
}

/** Exceedances of the reference's percentile `q` in both runs: from histograms when both have them, else estimated. */
function exceedances(
  q: 95 | 99, prev: EndpointRow, row: EndpointRow, windows: { a: { fromMs: number; toMs: number }; b: { fromMs: number; toMs: number } }, r: Rules,
): { counts: { kA: number; nA: number; kB: number; nB: number }; evidence: Evidence } | null {
  const t = q === 95 ? prev.p95Ms : prev.p99Ms;
  if (t === null) return null;
  const ha = r.latency?.a;
  const hb = r.latency?.b;
  if (ha && hb) {
    const A = ha.slowerThan({ ...windows.a, scenario: prev.scenario, request: prev.request }, t);
    const B = hb.slowerThan({ ...windows.b, scenario: row.scenario, request: row.request }, t);
    if (A.total > 0 && B.total > 0) return { counts: { kA: A.above, nA: A.total, kB: B.above, nB: B.total }, evidence: 'histograms' };
  }
  const est = (x: EndpointRow): number => Math.round(shareAboveFromQuantiles(x, t) * x.count);
  return { counts: { kA: est(prev), nA: prev.count, kB: est(row), nB: row.count }, evidence: 'quantiles' };
}

function endpointChanges(a: RunResults, b: RunResults, r: Rules): Change[] {
  return b.phaseTables.flatMap((table) => {
    const old = a.phaseTables.find((t) => t.scope === table.scope);
    if (!old) return [];
    const windows = { a: { fromMs: old.startMs, toMs: old.endMs }, b: { fromMs: table.startMs, toMs: table.endMs } };
    return table.rows.flatMap((row) => {
      const prev = old.rows.find((x) => x.scenario === row.scenario && x.request === row.request);
      if (!prev) return [];
      const subject = `${row.scenario} ${row.request} [${table.scope}]`;
      const latency = (q: 95 | 99): Change => {
        const before = q === 95 ? prev.p95Ms : prev.p99Ms;
        const after = q === 95 ? row.p95Ms : row.p99Ms;
        const big = (worse: boolean): boolean => before !== null && after !== null && (worse
          ? after - before > r.minDeltaMs && after > before * (1 + r.tol)
          : before - after > r.minDeltaMs && after < before * (1 - r.tol));
        const e = exceedances(q, prev, row, windows, r);
        return judged(q === 95 ? 'p95' : 'p99', subject, before, after, e?.evidence ?? 'none', e?.counts ?? null, big, r.alpha);
      };
      const errorBig = (worse: boolean): boolean => worse
        ? row.errorRate - prev.errorRate > FLOORS.errorRate && row.errorRate > prev.errorRate * (1 + r.tol)
        : prev.errorRate - row.errorRate > FLOORS.errorRate && row.errorRate < prev.errorRate * (1 - r.tol);
      return [
        latency(95), latency(99),
        judged('error-rate', subject, prev.errorRate, row.errorRate, 'counts', { kA: prev.failures, nA: prev.count, kB: row.failures, nB: row.count }, errorBig, r.alpha),
      ];
    });
  });
}

function recoveryChanges(a: RunResults, b: RunResults, tol: number): Change[] {
  const out: Change[] = [];
  for (const f of b.resilience.faults) {
    const prev = a.resilience.faults.find((x) => x.fault === f.fault);
    if (!prev) continue;
    if (prev.recovered && !f.recovered) out.push({ kind: 'recovery', subject: `${f.fault} time to recover`, before: prev.timeToRecoverMs, after: null, direction: 'worse', regression: true, pValue: null, evidence: 'none' });
    else if (!prev.recovered && f.recovered) out.push({ kind: 'recovery', subject: `${f.fault} time to recover`, before: null, after: f.timeToRecoverMs, direction: 'better', regression: false, pValue: null, evidence: 'none' });
    else out.push(higherIsWorse('recovery', `${f.fault} time to recover`, prev.timeToRecoverMs, f.timeToRecoverMs, tol, FLOORS.recoveryMs));
  }
  const sa = a.resilience.score;
  const sb = b.resilience.score;
  if (sa !== null && sb !== null) {
    // Lower is worse: compare the complements so the same helper applies.
    const c = higherIsWorse('resilience', 'resilience score', 100 - sa, 100 - sb, tol, 1);
    out.push({ ...c, before: sa, after: sb });
  }
  return out;
}

function verdictChanges(a: RunResults, b: RunResults): Change[] {
  const key = (v: { kind: string; name: string; phase: string | null }): string => `${v.kind}\u0000${v.name}\u0000${v.phase ?? ''}`;
  const before = new Map(a.verdicts.filter((v) => v.kind !== 'slo').map((v) => [key(v), v]));
  return b.verdicts.filter((v) => v.kind !== 'slo').flatMap((v): Change[] => {
    const prev = before.get(key(v));
    if (!prev || prev.pass === v.pass) return [];
    return [{ kind: 'verdict', subject: `${v.kind} ${v.name}${v.phase ? ` [${v.phase}]` : ''}`, before: prev.observed, after: v.observed, direction: v.pass ? 'better' : 'worse', regression: !v.pass, pValue: null, evidence: 'none' }];
  });
}

/**
 * Compares run `b` (new) against run `a` (reference). A latency or error change is a regression only when it is
 * beyond the relative tolerance, beyond the absolute minimum (latency: `minDeltaMs`; errors: 0.1 pp), and
 * significant at `confidence` (one-sided two-proportion z-test: errors on failure counts; latency on the requests
 * slower than the reference run's p95/p99, counted in both runs' HDR histograms; Holm–Bonferroni across all
 * tested changes, so equal runs fail with probability ≤ 1 − confidence). See reports/README.md.
 * @example const c = compareRuns(loadRunResults('runs/a'), loadRunResults('runs/b'), { tolerance: 0.1 }); process.exitCode = c.regressions.length ? 1 : 0;
 */
export function compareRuns(a: RunResults, b: RunResults, options: number | CompareOptions): Comparison {
  const o: CompareOptions = typeof options === 'number' ? { tolerance: options } : options;
  const rules: Rules = { tol: o.tolerance, minDeltaMs: o.minDeltaMs ?? FLOORS.latencyMs, alpha: 1 - (o.confidence ?? DEFAULT_CONFIDENCE), latency: o.latency };
  const tested = holm([...sloChanges(a, b, rules), ...endpointChanges(a, b, rules)], rules.alpha);
  const changes = [...tested, ...recoveryChanges(a, b, o.tolerance), ...verdictChanges(a, b)];
  return { tolerance: o.tolerance, minDeltaMs: rules.minDeltaMs, confidence: 1 - rules.alpha, changes, regressions: changes.filter((c) => c.regression) };
}
