/** @module reports/evaluate: which windows gate an SLO (`slos[].scope`); the others are information. */
import type { SloScopeName } from '../slo/schema.js';

const PHASE_SETS: Readonly<Record<Exclude<SloScopeName, 'all-windows' | 'run'>, readonly string[]>> = {
  phases: ['baseline', 'fault', 'recovery'],
  'steady-state': ['baseline', 'recovery'],
  baseline: ['baseline'],
};

/**
 * The window ids (`run`, a phase name, `fault:<name>`) that gate under `scope`, given the windows the SLO was
 * evaluated in. When none of the named phases exists (a plan without phases), the whole run gates.
 */
export function gatingWindows(scope: SloScopeName, windows: readonly string[]): ReadonlySet<string> {
  if (scope === 'all-windows') return new Set(windows);
  if (scope === 'run') return new Set(['run']);
  const named = windows.filter((w) => PHASE_SETS[scope].includes(w));
  return new Set(named.length > 0 ? named : ['run']);
}

/** How the report names a scope: "gates on the whole run, each phase and each fault window". */
export function scopeText(scope: SloScopeName): string {
  switch (scope) {
    case 'all-windows': return 'the whole run, each phase and each fault window';
    case 'run': return 'the whole run';
    case 'phases': return 'each phase';
    case 'steady-state': return 'baseline and recovery';
    case 'baseline': return 'the baseline';
  }
}
