import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../evaluate/evaluate-run.js';
import { sampleRunInput } from '../testing/sample-run.js';
import { renderMarkdown } from './markdown.js';

const GOLDEN = fileURLToPath(new URL('./fixtures/summary.golden.md', import.meta.url));

describe('summary.md', () => {
  it('matches the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    const text = renderMarkdown(evaluateRun(sampleRunInput()));
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('fits one screen above the details fold and stays far below GitHub’s 1 MiB step-summary cap', () => {
    const text = renderMarkdown(evaluateRun(sampleRunInput()));
    expect(text.split('<details>')[0]!.split('\n').length).toBeLessThan(45);
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
  });

  it('says PASSED with no failure list for a clean run', () => {
    const input = sampleRunInput();
    const text = renderMarkdown(evaluateRun({ ...input, slos: [], thresholds: [], checks: [], traceAssertions: [], phi: undefined, ledger: undefined }));
    expect(text.split('\n')[0]).toBe('### ✅ PASSED · ehr-outage-drill');
    expect(text).toContain('**All 2 checks passed.**');
  });
});
