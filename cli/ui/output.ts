/** @module cli: where command output goes, and whether it is coloured. */

/** Colour and stream decisions, made once per process. */
export interface Output {
  readonly json: boolean;
  readonly color: boolean;
  readonly debug: boolean;
  out(line: string): void;
  err(line: string): void;
}

export interface GlobalFlags {
  readonly json?: boolean;
  readonly color?: boolean;
  readonly debug?: boolean;
}

/** Colour only on a TTY, never with NO_COLOR or --no-color. */
export function createOutput(flags: GlobalFlags, stream: NodeJS.WriteStream = process.stdout): Output {
  const color = flags.color !== false && !process.env.NO_COLOR && stream.isTTY === true;
  return {
    json: flags.json === true,
    color,
    debug: flags.debug === true,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Minimal ANSI styling that turns itself off when colour is off. */
export function paint(enabled: boolean) {
  const wrap = (code: number) => (s: string) => (enabled ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { ok: wrap(32), bad: wrap(31), warn: wrap(33), dim: wrap(2), bold: wrap(1), title: wrap(36) };
}
export type Painter = ReturnType<typeof paint>;
