/**
 * @module collectors/store: the plan's `collectors.spans` slice — which raw spans a run keeps (tail sampling) and how
 * much disk they may take. Statistics (tables, charts, attribution, PHI findings) always see every span.
 */
import { z } from 'zod';
import { duration } from '../../core/schema-kit.js';
import type { Millis } from '../../core/units.js';

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i;

/** A size in bytes: a number, or text like "256MiB", "300MB", "1GiB". */
const size = z.union([z.number().int().positive(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = SIZE.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `expected a size like "256MiB", "300MB" or a number of bytes, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] as number));
});

export const spansSettingsSchema = z
  .object({
    /**
     * `sampled` (default): raw spans of every trace with an error, every exemplar trace, the slowest traces of each
     * second, and a random reservoir. `all`: every span (short drills). `none`: no raw spans, statistics only.
     */
    keep: z.enum(['sampled', 'all', 'none']).default('sampled'),
    /** Compressed bytes of span files in the run folder, at most; past it the oldest file is removed. */
    maxBytes: size.default(256 * 1024 * 1024),
    /** A new span file (`spans-0002.ndjson.gz`, …) starts past this many compressed bytes. */
    rotateBytes: size.default(16 * 1024 * 1024),
    /** Traces kept at random per second, at most (sampled). */
    reservoir: z.number().min(0).max(10_000).default(5),
    /** The N slowest traces of each second are kept, so any window's N slowest are (sampled). */
    slowestPerSecond: z.number().int().min(0).max(100).default(3),
    /** A trace is complete (and judged) this long after its last span arrived. */
    decisionWait: duration.default(5000 as Millis),
  })
  .strict()
  .refine((s) => s.rotateBytes <= s.maxBytes / 2, { message: 'rotateBytes must be at most half of maxBytes (the file being written is never removed)', path: ['rotateBytes'] });

export type SpanSettings = z.output<typeof spansSettingsSchema>;

/** Settings of a plan without `collectors.spans`. */
export const DEFAULT_SPAN_SETTINGS: SpanSettings = spansSettingsSchema.parse({});
