/** @module run/control-room: a live evaluation's per-second columns cut to the seconds that are complete. */
import type { RunResults, Timeline } from '../../reports/index.js';

type Columns = Timeline['overall'];
type Hl7 = NonNullable<RunResults['hl7']>;

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

/** The HL7 message columns (overall, per scenario) cut the same way; the rest of the section as evaluated. */
export function completeHl7Seconds(h: Hl7, seconds: number): Hl7 {
  const n = Math.max(0, Math.min(seconds, h.timeline.overall.messages.length));
  const cut = (c: Hl7['timeline']['overall']): Hl7['timeline']['overall'] => ({
    messages: c.messages.slice(0, n), failed: c.failed.slice(0, n), failedRate: c.failedRate.slice(0, n),
    p50Ms: c.p50Ms.slice(0, n), p95Ms: c.p95Ms.slice(0, n), p99Ms: c.p99Ms.slice(0, n),
  });
  return { ...h, timeline: { overall: cut(h.timeline.overall), scenarios: Object.fromEntries(Object.entries(h.timeline.scenarios).map(([name, c]) => [name, cut(c)])) } };
}
