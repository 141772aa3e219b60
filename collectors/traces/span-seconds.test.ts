import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecondsSpill } from '../../core/metrics/index.js';
import { SPAN_SECONDS_FILE, SpanSeconds, type SecondSpan } from './span-seconds.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A deterministic stream: spans of three services over `seconds`, packing as a run does, with late spans for packed seconds. */
function feed(seconds: SpanSeconds, total: number): void {
  let x = 0x2545f491;
  const rand = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const services = ['api', 'ehr', 'db'];
  for (let s = 0; s < total; s++) {
    for (let n = 0; n < 12; n++) {
      const service = services[n % 3] as string;
      const span: SecondSpan = { service, name: `${service} op${n % 4}`, kind: n % 3 === 0 ? 2 : 3, durationMs: 1 + rand() * (s % 30 < 5 ? 900 : 40), isError: rand() < 0.03 };
      seconds.add(span, s * 1000 + rand() * 999, span.durationMs * rand());
      if (n % 3 === 0) seconds.addRoot(s * 1000 + rand() * 999);
    }
    // A late fragment for a second packed long ago (an exporter that retried), then the run's packing.
    if (s % 7 === 0 && s > 40) seconds.add({ service: 'api', name: 'api late', kind: 2, durationMs: 3000, isError: true }, (s - 35) * 1000 + 10, 5);
    seconds.packBefore((s - 20) * 1000);
  }
}

const windows = [
  { name: 'baseline', startMs: 0, endMs: 60_000 },
  { name: 'fault', startMs: 60_000, endMs: 90_000 },
  { name: 'all', startMs: 0, endMs: 100_000 },
];

describe('SpanSeconds with a spill', () => {
  it('gives the same windows and per-second rows as keeping every second in memory, late spans included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-span-seconds-'));
    dirs.push(dir);
    const inMemory = new SpanSeconds();
    const spilled = new SpanSeconds(undefined, new SecondsSpill(join(dir, SPAN_SECONDS_FILE)));
    feed(inMemory, 100);
    feed(spilled, 100);
    // Live reads (the control room) while seconds are still open, then the end of the run.
    expect(spilled.perSecond()).toEqual(inMemory.perSecond());
    expect(spilled.windows(windows)).toEqual(inMemory.windows(windows));
    spilled.packBefore(Number.POSITIVE_INFINITY);
    inMemory.packBefore(Number.POSITIVE_INFINITY);
    expect(spilled.perSecond()).toEqual(inMemory.perSecond());
    expect(spilled.windows(windows)).toEqual(inMemory.windows(windows));
    expect(spilled.windows(windows)[2]?.rows.find((r) => r.span === 'api late')?.count).toBe(9);
  }, 60_000);

  it('holds no packed second in memory: they are in the run folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-span-seconds-'));
    dirs.push(dir);
    const spilled = new SpanSeconds(undefined, new SecondsSpill(join(dir, SPAN_SECONDS_FILE)));
    feed(spilled, 80);
    spilled.windows(windows);
    const size = spilled.size();
    expect(size.packed).toBe(0);
    expect(size.open).toBeLessThanOrEqual(21);
    expect(size.spilled).toBeGreaterThan(50);
    expect(statSync(join(dir, SPAN_SECONDS_FILE)).size).toBeGreaterThan(0);
  }, 60_000);
});
