/** @module core: the manual clock's sleepers wake in order and an abort removes only its own sleeper. */
import { describe, expect, it } from 'vitest';
import { manualClock } from './clock.js';
import { millis } from './units.js';

describe('manualClock', () => {
  it('wakes sleepers when advance passes their time', async () => {
    const clock = manualClock();
    const woke: number[] = [];
    void clock.sleepUntil(millis(20)).then(() => woke.push(20));
    void clock.sleepUntil(millis(10)).then(() => woke.push(10));
    await clock.advance(15);
    expect(woke).toEqual([10]);
    await clock.advance(10);
    expect(woke).toEqual([10, 20]);
    expect(clock.now()).toBe(25);
  });

  it('rejects an aborted sleeper with the signal reason and leaves the others asleep', async () => {
    const clock = manualClock();
    const ac = new AbortController();
    const aborted = clock.sleepUntil(millis(10), ac.signal);
    let otherWoke = false;
    void clock.sleepUntil(millis(20)).then(() => (otherWoke = true));
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await clock.advance(20);
    expect(otherWoke).toBe(true);
  });

  it('an abort after the sleeper woke does not remove another sleeper', async () => {
    const clock = manualClock();
    const ac = new AbortController();
    const first = clock.sleepUntil(millis(10), ac.signal);
    await clock.advance(10);
    await first;
    let secondWoke = false;
    void clock.sleepUntil(millis(30)).then(() => (secondWoke = true));
    ac.abort(new Error('late abort'));
    await clock.advance(30);
    expect(secondWoke).toBe(true);
  });
});
