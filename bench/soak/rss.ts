/** @module bench/soak: a process's resident set size over time, and the least-squares slope of its tail. */
import { readFileSync } from 'node:fs';

const MB = 1_000_000;

/** One reading: seconds since the sampler started, RSS in MB (10⁶ bytes). */
export interface RssPoint {
  readonly atS: number;
  readonly mb: number;
}

/** VmRSS of `pid` in MB (10⁶ bytes), or undefined once the process is gone. */
function rssMB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? (Number(m[1]) * 1024) / MB : undefined;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of `points` in MB (10⁶ bytes) per second (0 for fewer than two points). */
export function slopePerSecond(points: readonly RssPoint[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanT = points.reduce((s, p) => s + p.atS, 0) / n;
  const meanM = points.reduce((s, p) => s + p.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.atS - meanT) * (p.mb - meanM);
    den += (p.atS - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Samples `pid` every `everyMs`; `onSample` sees each reading. stop() ends it and returns every reading. */
export function sampleRss(pid: number, everyMs: number, onSample: (p: RssPoint) => void): { stop(): RssPoint[] } {
  const t0 = performance.now();
  const points: RssPoint[] = [];
  const take = (): void => {
    const mb = rssMB(pid);
    if (mb === undefined) return;
    const p = { atS: (performance.now() - t0) / 1000, mb };
    points.push(p);
    onSample(p);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return points;
    },
  };
}
