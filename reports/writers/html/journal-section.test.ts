/** @module reports/writers/html: the journal table's run clock — setup lines read as before the first phase. */
import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../../evaluate/evaluate-run.js';
import { sampleRunInput } from '../../testing/sample-run.js';
import { journalSection } from './sections.js';

describe('journal section', () => {
  it('shows a setup line logged under a second before the first phase as -00:01, never -00:00', () => {
    const results = evaluateRun(sampleRunInput());
    const journal = [
      { time: '2026-12-01T06:00:00.000Z', offsetMs: -2300, action: 'target-started', outcome: 'ok' },
      { time: '2026-12-01T06:00:01.900Z', offsetMs: -400, action: 'listening', outcome: 'ok' },
      { time: '2026-12-01T06:00:02.300Z', offsetMs: 0, action: 'phase', phase: 'baseline', outcome: 'ok' },
    ] as unknown as typeof results.journal;
    const times = [...journalSection({ ...results, journal }).matchAll(/<tr><td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(times).toEqual(['-00:03', '-00:01', '00:00']);
  });
});
