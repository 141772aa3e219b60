/**
 * @module dashboards: PromQL for an SLO's error ratio, multi-window burn rates and budget left.
 * Windows follow the SRE workbook pairs Sloth ships (google-30d: 2 % of budget in 1h/5m, 5 % in 6h/30m,
 * 10 % in 1d/2h, 10 % in 3d/6h); the alert factor is scaled to the SLO's own window
 * (factor = budget fraction × window / long window → 14.4, 6, 3, 1 for 30d).
 */
import { durationBucketsSeconds } from '../core/index.js';
import type { Plan } from '../plan/index.js';
import { failureRatio, goodBucket, metric, promDuration, selector, sumRate } from './promql.js';

/** One SLO of the plan. */
export type SloSpec = Plan['slos'][number];

/** One multi-window burn-rate pair. */
export interface BurnWindow {
  readonly longMs: number;
  readonly shortMs: number;
  /** Share of the whole error budget this alert fires at, spent within the long window. */
  readonly budgetFraction: number;
}

export const BURN_WINDOWS: readonly BurnWindow[] = [
  { longMs: 3_600_000, shortMs: 300_000, budgetFraction: 0.02 },
  { longMs: 21_600_000, shortMs: 1_800_000, budgetFraction: 0.05 },
  { longMs: 86_400_000, shortMs: 7_200_000, budgetFraction: 0.1 },
  { longMs: 259_200_000, shortMs: 21_600_000, budgetFraction: 0.1 },
];

/** The burn-rate factor at which a window pair alerts for an SLO counted over `windowMs`. */
export function burnFactor(w: BurnWindow, windowMs: number): number {
  return Math.round(((w.budgetFraction * windowMs) / w.longMs) * 100) / 100;
}

/** Error ratio (bad / all events) of an SLO over a PromQL range such as `1h` or `$__range`. */
export function sloErrorRatio(slo: SloSpec, range: string): string {
  const f = slo.filter ?? {};
  if (f.service !== undefined) {
    const sel = selector({ service: f.service });
    if (slo.sli === 'availability') {
      return failureRatio(metric('codeblue_span_errors_total'), metric('codeblue_span_duration_seconds', '_count'), sel, range);
    }
    return slowRatio('codeblue_span_duration_seconds', sel, {}, slo.sli.latency, range);
  }
  const labels: Record<string, string> = {};
  if (f.scenario !== undefined) labels.scenario = f.scenario;
  if (f.request !== undefined) labels.name = f.request;
  if (slo.events === 'hl7') {
    // HL7 messages of mllp steps: bad = not acknowledged AA/CA, or an ACK slower than the threshold.
    if (slo.sli === 'availability') return failureRatio(metric('k6_hl7_msg_failed_total'), metric('k6_hl7_msgs_total'), selector(labels), range);
    return slowRatio('k6_hl7_msg_duration_seconds', selector(labels), labels, slo.sli.latency, range);
  }
  if (slo.sli === 'availability') {
    return failureRatio(metric('k6_http_req_failed_total'), metric('k6_http_reqs_total'), selector(labels), range);
  }
  return slowRatio('k6_http_req_duration_seconds', selector(labels), labels, slo.sli.latency, range);
}

function slowRatio(
  histogram: 'k6_http_req_duration_seconds' | 'k6_hl7_msg_duration_seconds' | 'codeblue_span_duration_seconds',
  sel: string,
  labels: Readonly<Record<string, string>>,
  thresholdMs: number,
  range: string,
): string {
  // The run's registry has a bucket at every SLO latency threshold of its plan (planLatencyBoundsMs).
  const { le } = goodBucket(thresholdMs, durationBucketsSeconds([thresholdMs]));
  const good = sumRate(metric(histogram, '_bucket'), selector(labels, { le }), range);
  return `1 - ${good} / ${sumRate(metric(histogram, '_count'), sel, range)}`;
}

/** Burn rate = error ratio / error budget (1 − objective). */
export function burnRate(slo: SloSpec, range: string): string {
  return `(${sloErrorRatio(slo, range)}) / ${budgetOf(slo)}`;
}

/** Share of the error budget left after the errors seen over `range` (1 = untouched, < 0 = overspent). */
export function budgetLeft(slo: SloSpec, range: string): string {
  return `1 - (${sloErrorRatio(slo, range)}) / ${budgetOf(slo)}`;
}

function budgetOf(slo: SloSpec): string {
  return String(Math.round((1 - slo.objective) * 1e9) / 1e9);
}

/** Human label of a window pair, e.g. `1h/5m`. */
export function pairLabel(w: BurnWindow): string {
  return `${promDuration(w.longMs)}/${promDuration(w.shortMs)}`;
}
