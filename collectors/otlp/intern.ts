/**
 * @module collectors/otlp: one copy of each short string telemetry repeats. Every decoded span brings its own copy of
 * values like `127.0.0.1`, `postgresql`, `GET` and its SQL statement; a store holding thousands of waiting spans held
 * thousands of copies of each (~3.5 MB of a soak's heap).
 */

/** Longer strings are rarely repeated and cost more to look up than they would save. */
const MAX_LENGTH = 256;
/** The table's bound: ≤ 1 MB of strings. Past it a new table starts (values that repeat are back in it at once). */
const MAX_ENTRIES = 4096;

let table = new Map<string, string>();

/** The held copy of `s` when one is held, else `s` (held from now on). */
export function intern(s: string): string {
  if (s.length === 0 || s.length > MAX_LENGTH) return s;
  const held = table.get(s);
  if (held !== undefined) return held;
  if (table.size >= MAX_ENTRIES) table = new Map();
  table.set(s, s);
  return s;
}
