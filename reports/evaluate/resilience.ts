/**
 * @module reports/evaluate: resilience per fault — degradation vs baseline, time to recover, a 0–100 score
 * (formula and recovery rule in reports/README.md).
 */
import type { FaultResilience, FaultWindow, Health, PhaseResult, Resilience } from '../results/types.js';
import type { LoadQuery, SecondRow } from './input.js';
import { round2 } from './timeline.js';

/**
 * A second is healthy when its error rate ≤ baseline + 1 pp and its p95 ≤ max(1.25 × L, L + 10 ms), where L is
 * the 90th percentile of the baseline's per-second p95s (one second's p95 of a few dozen requests is noisy).
 */
export const RECOVERY = { errorRateSlack: 0.01, p95Factor: 1.25, p95SlackMs: 10, baselineQuantile: 0.9, sustainedSeconds: 3 } as const;
/** The least gap before the next fault in which a recovery (3 healthy seconds plus the partial one) can show. */
const RECOVERY_ROOM_MS = 4000;

/** Full penalty at +10 pp errors, at 5× baseline p95, and at 60 s (or no) recovery. */
export const SCORE = { errorsFull: 0.1, latencyFullRatio: 5, recoveryFullMs: 60_000, weights: { errors: 0.4, latency: 0.3, recovery: 0.3 } } as const;

/** Which series a score reads: HTTP requests (k6) or HL7 messages of `mllp` steps. */
type Events = 'http' | 'hl7';

function health(load: LoadQuery, fromMs: number, toMs: number, events: Events): Health {
  const w = load.window({ fromMs, toMs, ...(events === 'hl7' ? { events } : {}) });
  const seconds = Math.max(0.001, (toMs - fromMs) / 1000);
  return {
    requests: w.count, rps: round2(w.count / seconds), errorRate: w.count > 0 ? w.failed / w.count : 0,
    p95Ms: w.count > 0 ? round2(w.latency.p(95)) : null, p50Ms: w.count > 0 ? round2(w.latency.p(50)) : null,
  };
}

/** Baseline window: the baseline phase, else everything before the first fault. */
function baselineWindow(phases: readonly PhaseResult[], faults: readonly FaultWindow[]): { fromMs: number; toMs: number } | null {
  const phase = phases.find((p) => p.name === 'baseline');
  if (phase) return { fromMs: phase.startMs, toMs: phase.endMs };
  const first = faults[0];
  return first && first.startMs > 0 ? { fromMs: 0, toMs: first.startMs } : null;
}

/**
 * The first second at or after `fromMs` that starts a run of `sustainedSeconds` healthy seconds (seconds
 * without requests are skipped, neither breaking nor extending a run), searched until `untilMs`.
 */
function recoveredAt(rows: readonly SecondRow[], base: Health, baselineP95: number | null, fromMs: number, untilMs: number): number | null {
  const p95Limit = baselineP95 === null ? Infinity : Math.max(baselineP95 * RECOVERY.p95Factor, baselineP95 + RECOVERY.p95SlackMs);
  let runStart: number | null = null;
  let runLength = 0;
  for (const r of rows) {
    if (r.startMs < Math.ceil(fromMs / 1000) * 1000 || r.count === 0) continue;
    if (r.startMs >= untilMs) break;
    const healthy = r.failed / r.count <= base.errorRate + RECOVERY.errorRateSlack && r.p95Ms <= p95Limit;
    if (!healthy) { runStart = null; runLength = 0; continue; }
    runStart ??= r.startMs;
    if (++runLength >= RECOVERY.sustainedSeconds) return runStart;
  }
  return null;
}

/** Nearest-rank quantile of the per-second p95s inside the baseline window. */
function baselineSecondP95(rows: readonly SecondRow[], win: { fromMs: number; toMs: number }): number | null {
  const values = rows.filter((r) => r.count > 0 && r.startMs >= win.fromMs && r.startMs + 1000 <= win.toMs).map((r) => r.p95Ms).sort((a, b) => a - b);
  if (!values.length) return null;
  return values[Math.max(0, Math.ceil(RECOVERY.baselineQuantile * values.length) - 1)] as number;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Scores every fault window; the overall score is their mean (equal weights, Litmus-style weighted mean).
 * `events: 'hl7'` applies the same rules to the HL7 messages of `mllp` steps (ACK time, failed messages).
 */
export function evaluateResilience(
  load: LoadQuery, phases: readonly PhaseResult[], faults: readonly FaultWindow[], runMs: number, events: Events = 'http',
): Resilience {
  const baseWin = baselineWindow(phases, faults);
  const base = baseWin ? health(load, baseWin.fromMs, baseWin.toMs, events) : null;
  const rows = load.perSecond(events === 'hl7' ? { events } : {});
  const baseP95 = baseWin ? baselineSecondP95(rows, baseWin) : null;
  const scored = faults.map((f, i): FaultResilience => {
    const during = health(load, f.startMs, f.endMs, events);
    const next = faults.slice(i + 1).find((g) => g.startMs >= f.endMs);
    // Back-to-back faults leave no room to see a recovery in between: look on until the run ends.
    const until = next && next.startMs - f.endMs >= RECOVERY_ROOM_MS ? next.startMs : runMs;
    const usable = base !== null && base.requests > 0;
    const at = usable ? recoveredAt(rows, base, baseP95 ?? base.p95Ms, f.endMs, until) : null;
    const ttr = at === null ? null : Math.max(0, at - f.endMs);
    const p95Ratio = usable && base.p95Ms && during.p95Ms !== null ? round2(during.p95Ms / base.p95Ms) : null;
    const errorRateDelta = usable ? during.errorRate - base.errorRate : null;
    const penalties = usable
      ? {
          errors: round2(clamp01((errorRateDelta ?? 0) / SCORE.errorsFull)),
          latency: round2(clamp01(((p95Ratio ?? 1) - 1) / (SCORE.latencyFullRatio - 1))),
          recovery: round2(ttr === null ? 1 : clamp01(ttr / SCORE.recoveryFullMs)),
        }
      : null;
    const w = SCORE.weights;
    return {
      fault: f.name, proxy: f.proxy, toxic: f.toxic, startMs: f.startMs, endMs: f.endMs, baseline: base, during,
      p95DeltaMs: usable && base.p95Ms !== null && during.p95Ms !== null ? round2(during.p95Ms - base.p95Ms) : null,
      p50DeltaMs: usable && base.p50Ms != null && during.p50Ms != null ? round2(during.p50Ms - base.p50Ms) : null,
      p95Ratio, errorRateDelta, recovered: at !== null, recoveredAtMs: at, timeToRecoverMs: ttr,
      score: penalties ? Math.round(100 * (1 - (w.errors * penalties.errors + w.latency * penalties.latency + w.recovery * penalties.recovery))) : null,
      penalties,
    };
  });
  const scores = scored.map((f) => f.score).filter((s): s is number => s !== null);
  return { faults: scored, score: scores.length ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : null };
}
