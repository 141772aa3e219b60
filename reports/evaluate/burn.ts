/**
 * @module reports/evaluate: error budget and multi-window burn-rate alerts (Google SRE workbook, "Alerting on
 * SLOs": 2 % of a 30-day budget in 1 h → 14.4, 5 % in 6 h → 6, 10 % in 1 d → 3, 10 % in 3 d → 1; short window =
 * long / 12). For other SLO windows the factor scales as Sloth does: share × window / long window.
 */
import type { BurnAlert } from '../results/types.js';

const HOUR = 3_600_000;

export const ALERT_WINDOWS: readonly { readonly severity: 'page' | 'ticket'; readonly longMs: number; readonly budgetShare: number }[] = [
  { severity: 'page', longMs: HOUR, budgetShare: 0.02 },
  { severity: 'page', longMs: 6 * HOUR, budgetShare: 0.05 },
  { severity: 'ticket', longMs: 24 * HOUR, budgetShare: 0.1 },
  { severity: 'ticket', longMs: 72 * HOUR, budgetShare: 0.1 },
];

/** Burn rates above this are reported as this (an objective of 100 % has no budget at all). */
const MAX_BURN = 1e6;

/** (bad / total) / (1 − objective); 0 without events or failures. */
export function burnRate(bad: number, total: number, objective: number): number {
  if (total === 0 || bad === 0) return 0;
  const allowed = 1 - objective;
  return allowed <= 0 ? MAX_BURN : Math.min(MAX_BURN, bad / total / allowed);
}

/** Per-second events of one SLO on the run clock (index = second). */
export interface SecondEvents {
  readonly total: readonly number[];
  readonly bad: readonly number[];
}

/**
 * Which alerts would fire. `firesIfSustained`: the worst burn rate seen ≥ factor. `firedDuringDrill`: at some
 * second t, the burn over (t − long, t] and over (t − short, t] both reach the factor, counting the drill's
 * seconds as measured and the part of a window before the run as healthy traffic at the drill's mean rate.
 */
export function burnAlerts(windowMs: number, objective: number, worstBurn: number, events: SecondEvents | null): BurnAlert[] {
  const seconds = events?.total.length ?? 0;
  const prefix = (values: readonly number[]): Float64Array => {
    const out = new Float64Array(values.length + 1);
    for (let i = 0; i < values.length; i++) out[i + 1] = (out[i] as number) + (values[i] as number);
    return out;
  };
  const pTotal = events ? prefix(events.total) : new Float64Array(1);
  const pBad = events ? prefix(events.bad) : new Float64Array(1);
  const meanRate = seconds > 0 ? (pTotal[seconds] as number) / seconds : 0;
  const burnOver = (endSecond: number, lengthSeconds: number): number => {
    const lo = Math.max(0, endSecond - lengthSeconds);
    const bad = (pBad[endSecond] as number) - (pBad[lo] as number);
    const total = (pTotal[endSecond] as number) - (pTotal[lo] as number) + meanRate * Math.max(0, lengthSeconds - endSecond);
    return burnRate(bad, total, objective);
  };
  return ALERT_WINDOWS.map((w) => {
    const factor = Math.round(((w.budgetShare * windowMs) / w.longMs) * 1000) / 1000;
    const shortMs = w.longMs / 12;
    let firstFiredAtMs: number | null = null;
    if (events) {
      for (let t = 1; t <= seconds && firstFiredAtMs === null; t++) {
        if (burnOver(t, w.longMs / 1000) >= factor && burnOver(t, shortMs / 1000) >= factor) firstFiredAtMs = t * 1000;
      }
    }
    return {
      severity: w.severity, longWindowMs: w.longMs, shortWindowMs: shortMs, factor, budgetShare: w.budgetShare,
      firesIfSustained: worstBurn > 0 && worstBurn >= factor,
      firedDuringDrill: events ? firstFiredAtMs !== null : null,
      firstFiredAtMs,
    };
  });
}
