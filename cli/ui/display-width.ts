/**
 * @module cli: how many terminal cells a line takes, and how many rows it wraps to — so the live view
 * erases exactly what it drew even when a line is wider than the window.
 */

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and two-byte escapes: they take no cells.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cc}\p{Cf}\u200b\ufe00-\ufe0f]/u;
const EMOJI = /\p{Emoji_Presentation}/u;

/** East Asian Wide and Fullwidth blocks (UAX #11): two cells each. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];

/** The text without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Cells one character (code point) takes: 0, 1 or 2. */
function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  const cp = ch.codePointAt(0) ?? 0;
  if (EMOJI.test(ch)) return 2;
  return WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

/** Display width of one line in terminal cells (ANSI codes count 0, CJK and emoji 2, combining marks 0). */
export function displayWidth(line: string): number {
  let width = 0;
  for (const ch of stripAnsi(line)) width += charWidth(ch);
  return width;
}

/**
 * Rows `text` occupies on a terminal `columns` wide when written followed by a newline: each line takes
 * ⌈width / columns⌉ rows, at least one. A line exactly `columns` wide takes one row (the cursor waits at the
 * margin, and the newline moves it down once).
 */
export function wrappedRows(text: string, columns: number): number {
  const cols = Math.max(1, Math.floor(columns));
  let rows = 0;
  for (const line of text.split('\n')) rows += Math.max(1, Math.ceil(displayWidth(line) / cols));
  return rows;
}
