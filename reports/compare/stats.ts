/**
 * @module reports/compare: the significance tests behind the release gate — a one-sided two-proportion z-test
 * (pooled), used on error counts and on latency exceedances of the reference run's percentile.
 */

/** Standard normal CDF Φ(z) (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * P-value of "run B's share kB/nB is higher than run A's kA/nA" (one-sided, pooled two-proportion z-test).
 * Small p = the increase is unlikely to be chance. 1 when either side has no events or nothing differs.
 * @example increaseP(15, 1500, 60, 1500) // ≈ 1e-7: 1 % → 4 % is real
 */
export function increaseP(kA: number, nA: number, kB: number, nB: number): number {
  if (nA <= 0 || nB <= 0) return 1;
  const pooled = (kA + kB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  const diff = kB / nB - kA / nA;
  if (se === 0) return diff > 0 ? 0 : 1;
  return 1 - normalCdf(diff / se);
}

/** Quantile points of one endpoint row: where ≤ 50 %, 95 %, 99 % and 100 % of its requests lie. */
export interface QuantilePoints {
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/**
 * Share of requests slower than `ms`, estimated from a row's quantiles (linear between them, from 0 ms at 0 %).
 * Used only when the run folder has no histograms (samples/metrics.ndjson).
 */
export function shareAboveFromQuantiles(q: QuantilePoints, ms: number): number {
  const points: [number, number][] = [[0, 0]];
  for (const [v, f] of [[q.p50Ms, 0.5], [q.p95Ms, 0.95], [q.p99Ms, 0.99], [q.maxMs, 1]] as const) {
    if (v !== null && v >= (points.at(-1) as [number, number])[0]) points.push([v, f]);
  }
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1] as [number, number];
    const [x1, y1] = points[i] as [number, number];
    if (ms < x1) return 1 - (x1 === x0 ? y0 : y0 + ((ms - x0) / (x1 - x0)) * (y1 - y0));
  }
  return 0;
}
