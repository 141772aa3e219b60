/** @module core: the one error type every room throws, with stable codes, hints and exit codes. */

/** Exit codes of every command (design.md). */
export const EXIT = {
  ok: 0,
  failed: 1,
  badInput: 2,
  infrastructure: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every published error code. A closed union: a code is never renamed or reused.
 * `CB_<ROOM>_<WHAT>`.
 */
export type ErrorCode =
  | 'CB_PLAN_INVALID'
  | 'CB_PLAN_NOT_FOUND'
  | 'CB_PLAN_UNREADABLE'
  | 'CB_USAGE'
  | 'CB_TARGET_NOT_ALLOWED'
  | 'CB_TARGET_UNRESOLVABLE'
  | 'CB_TARGET_UNREACHABLE'
  | 'CB_PORT_IN_USE'
  | 'CB_CHAOS_API'
  | 'CB_CHAOS_ROLLBACK_INCOMPLETE'
  | 'CB_CHAOS_SERVER_UNREACHABLE'
  | 'CB_LOAD_LIMIT'
  | 'CB_AUTH_INVALID'
  | 'CB_AUTH_TOKEN_FAILED'
  | 'CB_K6_NOT_FOUND'
  | 'CB_K6_OUTPUT_INVALID'
  | 'CB_OTLP_INVALID'
  | 'CB_RUN_DIR_INVALID'
  | 'CB_RESULTS_INVALID'
  | 'CB_TRACE_NOT_FOUND'
  | 'CB_GRAFANA_API'
  | 'CB_INTERRUPTED'
  | 'CB_INTERNAL';

const DEFAULT_EXIT: Readonly<Record<ErrorCode, ExitCode>> = {
  CB_PLAN_INVALID: EXIT.badInput,
  CB_PLAN_NOT_FOUND: EXIT.badInput,
  CB_PLAN_UNREADABLE: EXIT.badInput,
  CB_USAGE: EXIT.badInput,
  CB_TARGET_NOT_ALLOWED: EXIT.badInput,
  CB_TARGET_UNRESOLVABLE: EXIT.badInput,
  CB_TARGET_UNREACHABLE: EXIT.infrastructure,
  CB_PORT_IN_USE: EXIT.infrastructure,
  CB_CHAOS_API: EXIT.infrastructure,
  CB_CHAOS_ROLLBACK_INCOMPLETE: EXIT.infrastructure,
  CB_CHAOS_SERVER_UNREACHABLE: EXIT.infrastructure,
  CB_LOAD_LIMIT: EXIT.badInput,
  CB_AUTH_INVALID: EXIT.badInput,
  CB_AUTH_TOKEN_FAILED: EXIT.infrastructure,
  CB_K6_NOT_FOUND: EXIT.infrastructure,
  CB_K6_OUTPUT_INVALID: EXIT.badInput,
  CB_OTLP_INVALID: EXIT.badInput,
  CB_RUN_DIR_INVALID: EXIT.badInput,
  CB_RESULTS_INVALID: EXIT.badInput,
  CB_TRACE_NOT_FOUND: EXIT.badInput,
  CB_GRAFANA_API: EXIT.infrastructure,
  CB_INTERRUPTED: EXIT.interrupted,
  CB_INTERNAL: EXIT.infrastructure,
};

export interface ErrorOptions {
  /** What the user should do next. */
  readonly hint?: string;
  readonly cause?: unknown;
  /** Overrides the code's default exit code. */
  readonly exitCode?: ExitCode;
}

/**
 * The base of every error codeblue throws on purpose.
 * @example throw new CodeblueError('CB_PORT_IN_USE', 'cannot listen on 127.0.0.1:8474: address in use', { hint: 'change --port (port 0 picks a free one)' })
 */
export class CodeblueError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodeblueError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? DEFAULT_EXIT[code];
  }
}

/** True for errors codeblue threw on purpose (as opposed to bugs). */
export function isCodeblueError(err: unknown): err is CodeblueError {
  return err instanceof CodeblueError;
}

/** A short, human string for any thrown value (never a stack). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
