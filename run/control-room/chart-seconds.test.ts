/** @module run/control-room: the live charts of a plan of `mllp` steps draw HL7 messages, cut to the complete seconds. */
import { describe, expect, it } from 'vitest';
import { createHistogramLoad, evaluateRun, renderCharts, sampleRunInput } from '../../reports/index.js';
import { completeHl7Seconds, completeSeconds } from './chart-seconds.js';

describe('completeHl7Seconds', () => {
  // 10 s evaluated so far, 5 messages a second, the 4th second's ACKs slow.
  const load = createHistogramLoad();
  for (let s = 0; s < 10; s++) for (let i = 0; i < 5; i++) load.record({ atMs: s * 1000 + i * 200, scenario: 'adt', name: 'admit', status: 0, durationMs: s === 3 ? 900 : 30, failed: false, events: 'hl7' });
  const base = sampleRunInput({ seconds: 10 });
  const results = evaluateRun({ ...base, load, phases: [], faults: [], journal: [], slos: [], thresholds: [], meta: { ...base.meta, durationMs: 10_000 } });

  it('keeps the first complete seconds of every message column', () => {
    const cut = completeHl7Seconds(results.hl7!, 4);
    expect(cut.timeline.overall.messages).toEqual([5, 5, 5, 5]);
    expect(cut.timeline.scenarios.adt?.p95Ms.length).toBe(4);
    expect(cut.timeline.overall.p95Ms[3]).toBeGreaterThan(800);
    expect(cut.phaseTables).toBe(results.hl7!.phaseTables);
  });

  it('gives the live room message charts instead of empty request charts', () => {
    const html = renderCharts({ timeline: completeSeconds(results.timeline, 4), hl7: completeHl7Seconds(results.hl7!, 4), phases: [], faults: [], servicePhases: [] }, 30_000);
    expect(html).toContain('id="chart-hl7-ack"');
    expect(html).not.toContain('id="chart-rps"');
  });
});
