/** @module core: branded units and their parsers (k6 duration syntax, percentages). */

declare const unitBrand: unique symbol;
/** A duration or an offset in milliseconds. */
export type Millis = number & { readonly [unitBrand]: 'ms' };
/** A size in bytes. */
export type Bytes = number & { readonly [unitBrand]: 'bytes' };

export const millis = (n: number): Millis => n as Millis;
export const bytes = (n: number): Bytes => n as Bytes;

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;

/**
 * Parses a k6/Go duration (`500ms`, `30s`, `1m30s`, `1.5h`, `0`) into milliseconds.
 * Returns undefined when the text is not a duration.
 * @example parseDurationText('1m30s') // 90000
 */
export function parseDurationText(text: string): Millis | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return millis(0);
  if (trimmed === '') return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = DURATION_PART.exec(trimmed); m; m = DURATION_PART.exec(trimmed)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = DURATION_PART.lastIndex;
  }
  if (consumed !== trimmed.length || !Number.isFinite(total)) return undefined;
  return millis(Math.round(total * 1000) / 1000);
}

/** The longest duration a plan may give anywhere (365 days): longer is a typo or an overflow, never a game day. */
export const MAX_DURATION_MS = 365 * 86_400_000;

/**
 * Parses a plan duration: k6 text (`1m30s`) or a number of milliseconds (as k6 accepts), finite and at most
 * MAX_DURATION_MS. The message says what was wrong (not a duration, or too long / overflowing).
 * @example parsePlanDuration('99999999999999999999h') // { ok: false, message: '… at most 365d (8760h)' }
 */
export function parsePlanDuration(input: string | number): { ok: true; ms: Millis } | { ok: false; message: string } {
  const expected = `expected a duration like "30s", "1m30s" or "500ms", got ${JSON.stringify(input)}`;
  if (typeof input === 'number') {
    if (Number.isNaN(input) || input < 0) return { ok: false, message: expected };
  } else if (!DURATION_SYNTAX.test(input.trim())) return { ok: false, message: expected };
  const ms = typeof input === 'number' ? input : parseDurationText(input) ?? Infinity;
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
    return { ok: false, message: `${typeof input === 'number' ? String(input) : JSON.stringify(input)} is ${Number.isFinite(ms) ? 'longer than' : 'too large for'} any game day: a duration is at most 365d (8760h)` };
  }
  return { ok: true, ms: millis(ms) };
}

/** The shape of a k6 duration, whatever its size (so an overflow is told apart from a typo). */
const DURATION_SYNTAX = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+)$/;

/**
 * Formats milliseconds the way k6 prints durations: `1m30s`, `250ms`, `1h0m0s`, `1.5s`.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${round(ms, 2)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = round((ms % 60_000) / 1000, 3);
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * Formats a run-clock offset as `mm:ss` (`h:mm:ss` from one hour), counting whole elapsed seconds like a stopwatch:
 * `59_999` is still `00:59`, so a line never shows a second that has not yet been reached. Setup offsets
 * (negative on the run clock) count down like a launch clock, in whole seconds still to go: `-400` → `-00:01`,
 * `-1500` → `-00:02`; so a setup line is never shown as `-00:00`, and setup reads before the first phase's `00:00`.
 * @example formatClock(90_500) // '01:30'
 */
export function formatClock(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = ms < 0 ? Math.ceil(-ms / 1000) : Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${mm}:${ss}` : `${sign}${mm}:${ss}`;
}

/** Parses `99.95%` or `0.9995` into a ratio in [0, 1]; undefined when it is neither. */
export function parseRatio(input: string | number): number | undefined {
  if (typeof input === 'number') return input >= 0 && input <= 1 ? input : undefined;
  const text = input.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const value = pct ? Number(pct[1]) / 100 : Number(text);
  return Number.isFinite(value) && value >= 0 && value <= 1 && text !== '' ? value : undefined;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;
