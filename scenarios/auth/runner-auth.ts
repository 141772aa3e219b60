/** @module scenarios/auth: the auth sessions of one runner — the target's, and each scenario override's — and their metrics. */
import type { Clock } from '../../core/clock.js';
import type { MetricStore } from '../../core/metrics/index.js';
import type { NetGuard } from '../../core/net-guard.js';
import { AuthSession, type TokenFetchRecord } from './auth-session.js';
import { createGrant } from './grants.js';
import type { AuthSpec } from './schema.js';

export interface RunnerAuthOptions {
  /** `target.auth`. */
  readonly target: AuthSpec | undefined;
  /** Scenario name → its `auth` override. */
  readonly overrides: Readonly<Record<string, AuthSpec | undefined>>;
  readonly baseUrl: string;
  /** Folder that relative key files are read from (the plan file's). */
  readonly planDir: string;
  readonly guard: NetGuard;
  readonly clock: Clock;
  readonly store: MetricStore;
  readonly signal: AbortSignal;
  /** Told every credential the runner uses (tokens, secrets), for the PHI/secret scan; never written anywhere. */
  readonly noteSecret?: (value: string) => void;
  /** Token and discovery request deadline, ms (default 10 s). */
  readonly timeoutMs?: number;
}

export interface RunnerAuth {
  /** The session a scenario's requests use; undefined when they go without auth. */
  forScenario(name: string): AuthSession | undefined;
  close(): Promise<void>;
}

/** Token fetches: their own series, never `http_reqs`. */
const AUTH_TOKEN_DURATION = 'auth_token_duration';
const AUTH_TOKEN_FAILED = 'auth_token_failed';
/** Requests sent again with a fresh token after a 401 (the 401 itself is not a target sample). */
export const AUTH_RETRIES = 'auth_retries';

/**
 * Builds one session per distinct auth (VUs and scenarios sharing an auth share its token). Setup problems
 * throw before any load: `CB_AUTH_INVALID` (unreadable key, unset variable), `CB_TARGET_NOT_ALLOWED` (token URL).
 */
export async function createRunnerAuth(opts: RunnerAuthOptions): Promise<RunnerAuth> {
  const agents: { close(): Promise<void> }[] = [];
  const sessions = new Map<string, AuthSession | undefined>();
  const build = async (spec: AuthSpec | undefined, planKey: string): Promise<AuthSession | undefined> => {
    if (spec === undefined || spec.type === 'none') return undefined;
    const key = JSON.stringify(spec);
    if (sessions.has(key)) return sessions.get(key);
    const guard = opts.guard.withKey(`${planKey}.tokenUrl`);
    if (spec.type !== 'static' && spec.tokenUrl !== undefined) await guard.assertAllowed(spec.tokenUrl);
    const agent = guard.agent();
    agents.push(agent);
    const noteSecret = opts.noteSecret ?? ((): void => undefined);
    const grant = await createGrant(spec, { planKey, planDir: opts.planDir, baseUrl: opts.baseUrl, dispatcher: agent, timeoutMs: opts.timeoutMs ?? 10_000, noteSecret });
    const tags = { auth: spec.type, source: planKey };
    const session = new AuthSession(grant, { clock: opts.clock, planKey, signal: opts.signal, noteSecret, onFetch: (r) => record(opts.store, tags, r) });
    sessions.set(key, session);
    return session;
  };
  const byScenario = new Map<string, AuthSession | undefined>();
  try {
    const targetSession = await build(opts.target, 'target.auth');
    for (const [name, override] of Object.entries(opts.overrides)) {
      byScenario.set(name, override === undefined ? targetSession : await build(override, `scenarios.${name}.auth`));
    }
  } catch (err) {
    await Promise.all(agents.map((a) => a.close()));
    throw err;
  }
  return {
    forScenario: (name) => byScenario.get(name),
    close: async () => {
      await Promise.all(agents.map((a) => a.close()));
    },
  };
}

function record(store: MetricStore, tags: Readonly<Record<string, string>>, r: TokenFetchRecord): void {
  store.add(AUTH_TOKEN_DURATION, tags, r.at, r.durationMs);
  store.add(AUTH_TOKEN_FAILED, r.code === undefined ? tags : { ...tags, error: r.code }, r.at, r.failed ? 1 : 0);
}
