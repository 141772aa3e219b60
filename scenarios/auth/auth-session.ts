/**
 * @module scenarios/auth: one credential shared by every VU of a runner — fetched once, cached, refreshed
 * before it expires (and after a 401), with one fetch in flight at a time and a back-off after failures.
 */
import type { Clock } from '../../core/clock.js';
import { millis } from '../../core/units.js';
import type { Grant } from './grants.js';

/** The header a request carries. `value` is a secret: put it on the wire, nowhere else. */
export interface AuthHeader {
  readonly name: string;
  readonly value: string;
}

export type AuthOutcome = { readonly ok: true; readonly header: AuthHeader } | { readonly ok: false; readonly message: string };

/** One token fetch, for the `auth_token_duration` / `auth_token_failed` series. */
export interface TokenFetchRecord {
  readonly at: number;
  readonly durationMs: number;
  readonly failed: boolean;
  readonly code?: string;
}

export interface AuthSessionOptions {
  readonly clock: Clock;
  /** Called after every token fetch (not for a static header, which is never fetched). */
  readonly onFetch?: (r: TokenFetchRecord) => void;
  /** Where the auth was set (`target.auth`), prefixed to failure messages. */
  readonly planKey: string;
  /** The runner's stop signal: a fetch outlives the iteration that started it, never the run. */
  readonly signal: AbortSignal;
  /** Told every token issued, so the PHI/secret scan can look for it (it is kept in memory only). */
  readonly noteSecret?: (value: string) => void;
}

/** A token is refreshed once this share of its life has passed (a 10 s token: after 8 s). */
const REFRESH_AT_SHARE = 0.8;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;

interface Held {
  readonly header: AuthHeader;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

export class AuthSession {
  private held: Held | undefined;
  private inflight: Promise<AuthOutcome> | undefined;
  private retryAt = 0;
  private backoffMs = FIRST_BACKOFF_MS;

  constructor(
    private readonly grant: Grant,
    private readonly options: AuthSessionOptions,
  ) {}

  /**
   * The header to send now. A token in its refresh window is still handed out while a fresh one is fetched;
   * without a usable token the caller waits for the fetch (or for the back-off after a failure).
   */
  async current(signal: AbortSignal): Promise<AuthOutcome> {
    const now = this.options.clock.now();
    const held = this.held;
    if (held !== undefined && now < held.expiresAt) {
      if (now >= held.refreshAt && this.inflight === undefined && now >= this.retryAt) void this.refresh();
      return { ok: true, header: held.header };
    }
    if (this.inflight === undefined && now < this.retryAt) await this.options.clock.sleepUntil(millis(this.retryAt), signal);
    return this.refresh();
  }

  /** A request carrying `value` was refused (401): drop that token so the next `current()` fetches anew. */
  invalidate(value: string): void {
    if (this.held?.header.value === value) this.held = undefined;
  }

  private refresh(): Promise<AuthOutcome> {
    this.inflight ??= this.fetchOnce(this.options.signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchOnce(signal: AbortSignal): Promise<AuthOutcome> {
    const { clock } = this.options;
    const started = clock.now();
    const outcome = await this.grant.fetch(signal);
    const at = clock.now();
    if (signal.aborted && !outcome.ok) return { ok: false, message: `${this.options.planKey}: token fetch interrupted` };
    if (this.grant.scheme !== '') this.options.onFetch?.({ at, durationMs: at - started, failed: !outcome.ok, ...(outcome.ok ? {} : { code: outcome.failure.code }) });
    if (!outcome.ok) {
      this.retryAt = at + this.backoffMs;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
      return { ok: false, message: `${this.options.planKey}: ${outcome.failure.message}` };
    }
    this.backoffMs = FIRST_BACKOFF_MS;
    this.retryAt = 0;
    const life = outcome.token.lifeMs;
    this.options.noteSecret?.(outcome.token.value);
    const header = { name: this.grant.header, value: `${this.grant.scheme}${outcome.token.value}` };
    // Life measured from the request's start: the server's clock started it no earlier.
    this.held = { header, refreshAt: life === undefined ? Infinity : started + life * REFRESH_AT_SHARE, expiresAt: life === undefined ? Infinity : started + life };
    return { ok: true, header };
  }
}
