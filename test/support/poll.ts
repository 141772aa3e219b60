/** @module test/support: waiting for a condition by polling, never by a fixed sleep that a busy machine outruns. */

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it answers truthy; throws with `what` after `timeoutMs` (a generous bound, not a measurement). */
export async function waitUntil<T>(read: () => T | Promise<T>, what: string, timeoutMs = 20_000, intervalMs = 20): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await tick(intervalMs);
  }
}

/**
 * Polls a growing counter until it is above `floor` and then unchanged for `quietMs` in a row; returns that value.
 * Throws when it keeps growing past `timeoutMs`, e.g. a stream that ignores backpressure.
 */
export async function waitForPlateau(read: () => number, what: string, { floor = 0, quietMs = 500, timeoutMs = 20_000 } = {}): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = read();
  let since = performance.now();
  for (;;) {
    await tick(25);
    const now = read();
    if (now !== last || now <= floor) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return now;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} to stop growing (at ${now})`);
  }
}
