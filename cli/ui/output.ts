/** @module cli: where command output goes, and whether it is coloured. */
import type { Terminal } from '../terminal.js';

/** Colour and stream decisions, made once per process. */
export interface Output {
  readonly json: boolean;
  readonly color: boolean;
  readonly debug: boolean;
  /** One line to stdout (a newline is added). */
  out(line: string): void;
  /** One line to stderr (a newline is added). */
  err(line: string): void;
  /** Text to stdout exactly as given (file contents such as a dashboard JSON or a scrape config). */
  raw(text: string): void;
}

export interface GlobalFlags {
  readonly json?: boolean;
  readonly color?: boolean;
  readonly debug?: boolean;
}

/** Colour only on a TTY, never with NO_COLOR or --no-color. */
export function createOutput(flags: GlobalFlags, terminal: Terminal): Output {
  return {
    json: flags.json === true,
    color: colorChoice(flags, terminal),
    debug: flags.debug === true,
    out: (line) => terminal.stdout.write(`${line}\n`),
    err: (line) => terminal.stderr.write(`${line}\n`),
    raw: (text) => terminal.stdout.write(text),
  };
}

/** The colour decision for this terminal and these flags (also given to commander for help and errors). */
export function colorChoice(flags: Pick<GlobalFlags, 'color'>, terminal: Terminal): boolean {
  return flags.color !== false && !terminal.isNoColor && terminal.isTTY;
}

/** Minimal ANSI styling that turns itself off when colour is off. */
export function paint(enabled: boolean) {
  const wrap = (code: number) => (s: string) => (enabled ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { ok: wrap(32), bad: wrap(31), warn: wrap(33), dim: wrap(2), bold: wrap(1), title: wrap(36) };
}
export type Painter = ReturnType<typeof paint>;
