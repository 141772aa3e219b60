/** @module run/control-room: a live evaluation's per-second columns cut to the seconds that are complete. */
import type { Timeline } from '../../reports/index.js';

type Columns = Timeline['overall'];

/** The first `seconds` of every column (overall, per scenario, per service). */
export function completeSeconds(t: Timeline, seconds: number): Timeline {
  const n = Math.max(0, Math.min(seconds, t.startMs.length));
  const cut = (c: Columns): Columns => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.isArray(v) ? v.slice(0, n) : v])) as unknown as Columns;
  return {
    stepMs: t.stepMs,
    startMs: t.startMs.slice(0, n),
    overall: cut(t.overall),
    scenarios: Object.fromEntries(Object.entries(t.scenarios).map(([name, c]) => [name, cut(c)])),
    services: Object.fromEntries(Object.entries(t.services).map(([name, c]) => [name, { count: c.count.slice(0, n), p95Ms: c.p95Ms.slice(0, n) }])),
  };
}
