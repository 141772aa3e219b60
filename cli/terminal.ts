/**
 * @module cli: the one terminal a CLI invocation talks to (as k6's `GlobalState`): streams, TTY, width,
 * environment flags and clock. `cli/main.ts` builds it from the process; tests build an in-memory one.
 */

/** Where text goes; a Node stream or anything with `write`. */
interface TextSink {
  write(text: string): unknown;
}

export interface Terminal {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Whether stdout is an interactive terminal (live view, colour). */
  readonly isTTY: boolean;
  /** Width of stdout in character cells, read at each call (the window may be resized); 80 when unknown. */
  columns(): number;
  /** `CI=true` (or any non-empty value but `false`/`0`): plain lines instead of a live view. */
  readonly isCI: boolean;
  /** `NO_COLOR` set to anything non-empty (https://no-color.org). */
  readonly isNoColor: boolean;
  /** The environment, for the few commands that read a variable (e.g. GRAFANA_TOKEN). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory that relative paths are shown against. */
  readonly cwd: string;
  /** Wall clock in epoch milliseconds (timestamps and redraw throttling). */
  now(): number;
}

export const DEFAULT_COLUMNS = 80;

/** What `isCI` / `isNoColor` derive from an environment. */
export function envFlags(env: Readonly<Record<string, string | undefined>>): { isCI: boolean; isNoColor: boolean } {
  const ci = env.CI;
  return { isCI: ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0', isNoColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '' };
}

/** A terminal whose output stays in memory: for in-process tests of commands. */
export interface MemoryTerminal extends Terminal {
  /** Everything written to stdout so far. */
  stdoutText(): string;
  /** Everything written to stderr so far. */
  stderrText(): string;
}

export interface MemoryTerminalOptions {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly now?: () => number;
}

/** @internal An in-memory terminal (not a TTY, 80 columns, empty environment unless told). */
export function createMemoryTerminal(options: MemoryTerminalOptions = {}): MemoryTerminal {
  let out = '';
  let err = '';
  const env = options.env ?? {};
  return {
    stdout: { write: (text: string) => { out += text; return true; } },
    stderr: { write: (text: string) => { err += text; return true; } },
    isTTY: options.isTTY ?? false,
    columns: () => options.columns ?? DEFAULT_COLUMNS,
    ...envFlags(env),
    env,
    cwd: options.cwd ?? '/',
    now: options.now ?? Date.now,
    stdoutText: () => out,
    stderrText: () => err,
  };
}
