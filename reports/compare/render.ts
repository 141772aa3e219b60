/** @module reports/compare: a comparison as terminal lines (pure; colour is the caller's). */
import { humanDuration, ms, pct } from '../format.js';
import type { Change, Comparison } from './compare.js';

export interface Paint {
  ok(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
}

const PLAIN: Paint = { ok: (t) => t, bad: (t) => t, dim: (t) => t };

function value(c: Change, v: number | null): string {
  if (v === null) return c.kind === 'recovery' ? 'not recovered' : '–';
  switch (c.kind) {
    case 'p95': case 'p99': return ms(v);
    case 'error-rate': return pct(v);
    case 'slo': return pct(v, 3);
    case 'recovery': return humanDuration(v);
    case 'resilience': return `${v}/100`;
    case 'verdict': return String(v);
  }
}

/** Worse first, then better; unchanged ones only counted. */
export function renderComparison(c: Comparison, labelA: string, labelB: string, p: Paint = PLAIN): string[] {
  const line = (x: Change): string => {
    const mark = x.direction === 'worse' ? p.bad(x.regression ? '✗ worse' : '! worse') : p.ok('✓ better');
    const evidence = x.pValue === null ? '' : p.dim(`  p=${x.pValue < 0.001 ? '<0.001' : x.pValue.toFixed(3)} (${x.evidence})`);
    return `  ${mark}  ${x.kind.padEnd(10)} ${x.subject}  ${p.dim(value(x, x.before))} → ${value(x, x.after)}${evidence}`;
  };
  const worse = c.changes.filter((x) => x.direction === 'worse');
  const better = c.changes.filter((x) => x.direction === 'better');
  const same = c.changes.length - worse.length - better.length;
  const rule = `${pct(c.tolerance, 1)} tolerance, ${ms(c.minDeltaMs)} minimum, ${pct(c.confidence, 1)} confidence`;
  const verdict = c.regressions.length
    ? p.bad(`✗ ${c.regressions.length} regression(s) beyond ${rule}`)
    : p.ok(`✓ no regression beyond ${rule}`);
  return [
    `   compare  ${labelA} → ${labelB}`,
    ...worse.map(line),
    ...better.map(line),
    p.dim(`  ${same} unchanged (within tolerance, under the minimum, or not significant)`),
    `   verdict  ${verdict}`,
  ];
}
