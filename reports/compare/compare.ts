/**
 * @module reports/compare: what got better or worse between two runs (QA's release gate) — SLO ratios, endpoint
 * p95/p99 and error rate per phase, recovery time, resilience score, and verdicts that flipped.
 */
import type { RunResults } from '../results/types.js';

export type ChangeKind = 'slo' | 'p95' | 'p99' | 'error-rate' | 'recovery' | 'resilience' | 'verdict';

export interface Change {
  readonly kind: ChangeKind;
  /** What changed, e.g. `clinicians GET /fhir/Patient/{id} [fault]`. */
  readonly subject: string;
  readonly before: number | null;
  readonly after: number | null;
  readonly direction: 'better' | 'worse' | 'same';
  /** Worse beyond the tolerance: fails the gate. */
  readonly regression: boolean;
}

export interface Comparison {
  readonly tolerance: number;
  readonly changes: readonly Change[];
  readonly regressions: readonly Change[];
}

/** Noise floors under which a change never counts: 1 ms of latency, 0.1 pp of errors, 1 s of recovery. */
export const FLOORS = { latencyMs: 1, errorRate: 0.001, recoveryMs: 1000 } as const;

function higherIsWorse(kind: ChangeKind, subject: string, before: number | null, after: number | null, tol: number, floor: number): Change {
  if (before === null || after === null) return { kind, subject, before, after, direction: 'same', regression: false };
  const delta = after - before;
  const worse = delta > floor && after > before * (1 + tol);
  const better = -delta > floor && after < before * (1 - tol);
  return { kind, subject, before, after, direction: worse ? 'worse' : better ? 'better' : 'same', regression: worse };
}

function sloChanges(a: RunResults, b: RunResults, tol: number): Change[] {
  return b.slos.flatMap((slo) => {
    const old = a.slos.find((s) => s.name === slo.name);
    if (!old) return [];
    return slo.scopes.flatMap((scope): Change[] => {
      const prev = old.scopes.find((s) => s.scope === scope.scope);
      if (!prev || prev.ratio === null || scope.ratio === null) return [];
      // Compared as bad fractions; a change must exceed tol × max(bad before, the SLO's allowance).
      const badBefore = 1 - prev.ratio;
      const badAfter = 1 - scope.ratio;
      const margin = Math.max(badBefore, 1 - slo.objective) * tol;
      const flippedToFail = prev.pass && !scope.pass;
      const worse = flippedToFail || badAfter - badBefore > margin;
      const better = (!prev.pass && scope.pass) || badBefore - badAfter > margin;
      return [{ kind: 'slo', subject: `${slo.name} [${scope.scope}]`, before: prev.ratio, after: scope.ratio, direction: worse ? 'worse' : better ? 'better' : 'same', regression: worse }];
    });
  });
}

function endpointChanges(a: RunResults, b: RunResults, tol: number): Change[] {
  return b.phaseTables.flatMap((table) => {
    const old = a.phaseTables.find((t) => t.scope === table.scope);
    if (!old) return [];
    return table.rows.flatMap((row) => {
      const prev = old.rows.find((r) => r.scenario === row.scenario && r.request === row.request);
      if (!prev) return [];
      const subject = `${row.scenario} ${row.request} [${table.scope}]`;
      return [
        higherIsWorse('p95', subject, prev.p95Ms, row.p95Ms, tol, FLOORS.latencyMs),
        higherIsWorse('p99', subject, prev.p99Ms, row.p99Ms, tol, FLOORS.latencyMs),
        higherIsWorse('error-rate', subject, prev.errorRate, row.errorRate, tol, FLOORS.errorRate),
      ];
    });
  });
}

function recoveryChanges(a: RunResults, b: RunResults, tol: number): Change[] {
  const out: Change[] = [];
  for (const f of b.resilience.faults) {
    const prev = a.resilience.faults.find((x) => x.fault === f.fault);
    if (!prev) continue;
    if (prev.recovered && !f.recovered) out.push({ kind: 'recovery', subject: `${f.fault} time to recover`, before: prev.timeToRecoverMs, after: null, direction: 'worse', regression: true });
    else if (!prev.recovered && f.recovered) out.push({ kind: 'recovery', subject: `${f.fault} time to recover`, before: null, after: f.timeToRecoverMs, direction: 'better', regression: false });
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
    return [{ kind: 'verdict', subject: `${v.kind} ${v.name}${v.phase ? ` [${v.phase}]` : ''}`, before: prev.observed, after: v.observed, direction: v.pass ? 'better' : 'worse', regression: !v.pass }];
  });
}

/**
 * Compares run `b` (new) against run `a` (reference). `tolerance` is relative (0.1 = 10 %).
 * @example const c = compareRuns(loadRunResults('runs/a'), loadRunResults('runs/b'), 0.1); process.exitCode = c.regressions.length ? 1 : 0;
 */
export function compareRuns(a: RunResults, b: RunResults, tolerance: number): Comparison {
  const changes = [...sloChanges(a, b, tolerance), ...endpointChanges(a, b, tolerance), ...recoveryChanges(a, b, tolerance), ...verdictChanges(a, b)];
  return { tolerance, changes, regressions: changes.filter((c) => c.regression) };
}
