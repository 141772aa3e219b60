/** @module core: zod building blocks every room's plan slice uses (durations, addresses, ratios). */
import { z } from 'zod';
import { isIP } from 'node:net';
import { parsePlanDuration, parseRatio, type Millis } from './units.js';

/** A k6 duration (`30s`, `1m30s`, `500ms`) or a number of milliseconds (as k6 accepts), → Millis. */
export const duration = z
  .union([z.string(), z.number()], { error: 'expected a duration like "30s", "1m30s" or "500ms"' })
  .transform((input, ctx): Millis => {
    const parsed = parsePlanDuration(input);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.ms;
  });

/** A positive duration (more than 0). */
export const positiveDuration = duration.refine((ms) => ms > 0, { message: 'must be more than 0s' });

/** `host:port` or `[v6]:port`, port 0–65535. Kept as the original text. */
export const hostPort = z.string({ error: 'expected an address like "127.0.0.1:21001"' }).superRefine((text, ctx) => {
  if (parseHostPort(text) === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an address like "127.0.0.1:21001", got ${JSON.stringify(text)}` });
  }
});

/** Splits `host:port` / `[::1]:port`; undefined when malformed. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const host = (m[1] ?? m[2]) as string;
  const port = Number(m[3]);
  if (port > 65535 || (m[1] !== undefined && isIP(host) !== 6)) return undefined;
  return { host, port };
}

/** `99.95%` or `0.9995` → 0.9995. */
export const ratio = z
  .union([z.string(), z.number()], { error: 'expected a ratio like "99.95%" or 0.9995' })
  .transform((input, ctx) => {
    const value = parseRatio(input);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a ratio like "99.95%" or 0.9995, got ${JSON.stringify(input)}` });
      return z.NEVER;
    }
    return value;
  });

/** A plain string → string map (tags, headers, env). */
export const stringMap = z.record(z.string(), z.string());

/** Names used in Toxiproxy names, file names and metric labels. */
export const safeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'use letters, digits, "_", "." and "-" (at most 63, starting with a letter or digit)');
