import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { REPORT_FORMATS, WRITERS } from './index.js';

/** What every renderer must do, whatever its format. */
describe.each(WRITERS.map((w) => [w.format, w] as const))('writer %s', (_format, writer) => {
  const results = evaluateRun(sampleRunInput());
  const frozen = JSON.stringify(results);

  it('is pure: the same results give the same text, and the results are not changed', () => {
    const a = writer.render(results);
    const b = writer.render(JSON.parse(frozen));
    expect(a).toBe(b);
    expect(JSON.stringify(results)).toBe(frozen);
  });

  it('names every failed verdict and ends with a newline', () => {
    const text = writer.render(results);
    expect(text.endsWith('\n')).toBe(true);
    const unescaped = text.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;|&apos;/g, "'");
    for (const v of results.verdicts.filter((x) => !x.pass)) expect(unescaped, `${writer.file}: ${v.name}`).toContain(v.name);
  });

  it('renders a run with no requests, no SLOs and no faults', () => {
    const input = sampleRunInput({ seconds: 3 });
    const empty = evaluateRun({ ...input, faults: [], journal: [], slos: [], thresholds: [], load: { endpoints: () => [], window: () => ({ count: 0, failed: 0, latency: { p: () => 0, countAtOrBelow: () => 0, avg: 0, min: 0, max: 0 } }), perSecond: () => [] } });
    expect(writer.render(empty).length).toBeGreaterThan(100);
  });
});

it('registers each format once', () => {
  expect([...REPORT_FORMATS].sort()).toEqual(['html', 'json', 'junit', 'markdown']);
  expect(new Set(WRITERS.map((w) => w.file)).size).toBe(WRITERS.length);
});
