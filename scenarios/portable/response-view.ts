/**
 * @module scenarios/portable: what checks and saves read from a response — the engine's undici response or a k6 `Response`.
 * Portable: the engine imports it and every generated k6 script carries it as source (see README.md here).
 */

/** A parsed body: `ok: false` when the body is not JSON (or was cut at the engine's maxBodyBytes). */
export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** One response as checks and saves see it; each side builds it from its own response type. */
export interface ResponseView {
  readonly status: number;
  /** From sending the request to the last body byte, ms (k6 `timings.duration`). */
  readonly durationMs: number;
  /** A header by lower-case name: several values stay a list, undefined when absent. */
  header(lowerName: string): string | readonly string[] | undefined;
  /** The body as text (read lazily). */
  bodyText(): string;
  /** The body parsed as JSON (parsed lazily, at most once). */
  json(): ParsedBody;
}
