/**
 * @module chaos/toxics: the conformance suite every toxic's test runs (style.md): bytes stay in order, nothing is
 * dropped, an interrupt stops the toxic within 50 ms, and end of stream closes. Runs the toxic in a real `Stage`.
 */
import { describe, expect, it } from 'vitest';
import { Chan, INTERRUPTED } from '../proxy/chan.js';
import { Stage, type ChunkChan, type ToxicEntry } from '../proxy/stub.js';
import { seededRandom } from '../rng.js';
import type { StreamChunk, ToxicDefinition } from './toxic.js';

export interface ConformanceOptions {
  /** Attributes to run with (keep delays short). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** False for toxics that drop data by design (timeout). */
  readonly preservesData: boolean;
}

function harness(definition: ToxicDefinition, attributes: Readonly<Record<string, unknown>>) {
  // Room for every test chunk, so a toxic that stops reading (reset_peer) cannot block the test itself.
  const input: ChunkChan = new Chan(Math.max(64, definition.bufferSize));
  const output: ChunkChan = new Chan(1);
  let resets = 0;
  const host = { random: seededRandom(9), killed: new AbortController().signal, reset: () => void resets++ };
  const entry: ToxicEntry = { name: 't', type: definition.type, stream: 'downstream', direction: 'downstream', toxicity: 1, attributes, definition };
  const stage = new Stage(entry, input, output, host);
  return { input, output, stage, resets: () => resets };
}

/** Reads the output until end of stream (or `ms` pass); returns the bytes and whether EOF was seen. */
async function drain(output: ChunkChan, ms: number): Promise<{ data: Buffer; eof: boolean }> {
  const parts: Buffer[] = [];
  const deadline = AbortSignal.timeout(ms);
  for (;;) {
    const item = await output.read(deadline);
    if (item === INTERRUPTED) return { data: Buffer.concat(parts), eof: false };
    if (item === null) return { data: Buffer.concat(parts), eof: true };
    parts.push(item.data);
  }
}

function chunks(count: number): StreamChunk[] {
  return Array.from({ length: count }, (_, i) => ({ data: Buffer.from(`chunk-${i}-`.repeat(1 + (i % 7))), at: performance.now() }));
}

/** Registers the suite for one toxic type. */
export function runToxicConformance(definition: ToxicDefinition, options: ConformanceOptions): void {
  describe(`${definition.type} conformance`, { timeout: 10_000 }, () => {
    if (options.preservesData) {
      it('keeps bytes in order and drops nothing', async () => {
        const h = harness(definition, options.attributes);
        h.stage.run();
        const sent = chunks(40);
        const reading = drain(h.output, 5_000);
        for (const c of sent) await h.input.write(c);
        await h.input.write(null);
        const got = await reading;
        expect(got.data.equals(Buffer.concat(sent.map((c) => c.data)))).toBe(true);
        expect(got.eof).toBe(true);
      });
    }

    it('stops within 50 ms of an interrupt, losing nothing it was given', async () => {
      const h = harness(definition, options.attributes);
      h.stage.run();
      const sent = chunks(3);
      const reading = drain(h.output, 200);
      for (const c of sent) await h.input.write(c);
      await new Promise((r) => setTimeout(r, 5));
      const start = performance.now();
      await h.stage.interrupt();
      expect(performance.now() - start).toBeLessThan(50);
      const got = await reading;
      const left: Buffer[] = [];
      for (let item = h.input.poll(); item !== INTERRUPTED; item = h.input.poll()) if (item) left.push(item.data);
      if (options.preservesData) expect(Buffer.concat([got.data, ...left]).equals(Buffer.concat(sent.map((c) => c.data)))).toBe(true);
    });

    it('closes (or resets) at end of stream', async () => {
      const h = harness(definition, options.attributes);
      h.stage.run();
      const reading = drain(h.output, 3_000);
      await h.input.write({ data: Buffer.from('last'), at: performance.now() });
      await h.input.write(null);
      const got = await reading;
      expect(got.eof || h.resets() > 0).toBe(true);
    });
  });
}
