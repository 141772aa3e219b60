/** @module scenarios/summary: k6's value formats — durations (µs/ms/s), SI data sizes, percentages, per-second rates. */

/** A duration in ms the way k6 prints it: `0s`, `485µs`, `140.36ms`, `1.14s`, `1m5.25s`. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0s';
  const abs = Math.abs(ms);
  if (abs < 1) return `${trim(ms * 1000, 2)}µs`;
  if (abs < 1000) return `${trim(ms, 2)}ms`;
  if (abs < 60_000) return `${trim(ms / 1000, 2)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${trim((ms - m * 60_000) / 1000, 2)}s`;
}

/** A byte count in SI units as k6 prints data: `519 kB`, `4.9 kB`, `1.3 MB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v < 10 ? trim(v, 1) : Math.round(v)} ${units[i]}`;
}

/** A ratio as `97.50%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

/** A plain number with up to 6 decimals, trailing zeros removed (`6.56109`). */
export function formatNumber(n: number): string {
  return trim(n, 6);
}

function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}
