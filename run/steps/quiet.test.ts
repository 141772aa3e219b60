/** @module run/steps: waiting for late spans ends once the receiver has been quiet for a while, or at the cap. */
import { describe, expect, it } from 'vitest';
import { waitForQuiet } from './quiet.js';

describe('waitForQuiet', { timeout: 10_000 }, () => {
  it('waits while requests keep arriving and returns once none came for the quiet period', async () => {
    let polls = 0;
    // Busy for the first five polls (something arrived just now), silent after.
    let last: number | undefined;
    const source = { lastReceivedAt: () => (++polls <= 5 ? (last = Date.now()) : last) };
    await expect(waitForQuiet(source, { quietMs: 100, capMs: 8_000, pollMs: 10 })).resolves.toBe(true);
    expect(polls).toBeGreaterThan(5);
  });

  it('gives up at the cap when the sender never goes quiet', async () => {
    const source = { lastReceivedAt: () => Date.now() };
    await expect(waitForQuiet(source, { quietMs: 200, capMs: 300, pollMs: 10 })).resolves.toBe(false);
  });

  it('still waits one quiet period when nothing was ever received (late spans may be on their way)', async () => {
    const started = Date.now();
    await expect(waitForQuiet({ lastReceivedAt: () => undefined }, { quietMs: 50, capMs: 5_000 })).resolves.toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });
});
