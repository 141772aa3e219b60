/** @module run: credentials for the ledger's read-backs — each write is read with the auth of the scenario that made it. */
import { MetricStore } from '../core/index.js';
import { createRunnerAuth } from '../scenarios/index.js';
import type { LedgerAuthorize } from './ledger-types.js';
import { planPath } from './plan-paths.js';
import type { RunContext } from './steps/context.js';

/** An authorizer and its cleanup; undefined when the plan sets no auth. */
export interface LedgerAuth {
  readonly authorize: LedgerAuthorize;
  close(): Promise<void>;
}

/**
 * Its own token sessions (the load's are closed by now), fetched as the load's were; their fetches are kept out
 * of the run's auth_token_* series, which describe the load. Every token is told to the secret scan.
 */
export async function createLedgerAuth(ctx: RunContext, secrets: Set<string>): Promise<LedgerAuth | undefined> {
  const { plan } = ctx;
  const overrides = Object.fromEntries(Object.entries(plan.scenarios).map(([name, s]) => [name, s.auth]));
  if (plan.target.auth === undefined && Object.values(overrides).every((a) => a === undefined)) return undefined;
  const stop = new AbortController();
  const auth = await createRunnerAuth({
    target: plan.target.auth, overrides, baseUrl: plan.target.baseUrl, planDir: planPath(plan, '.'), guard: ctx.guard,
    clock: ctx.clock, store: new MetricStore(), signal: stop.signal, noteSecret: (v) => void secrets.add(v),
  });
  return {
    async authorize(scenario) {
      const session = auth.forScenario(scenario);
      if (session === undefined) return { ok: true, headers: {} };
      const got = await session.current(stop.signal);
      return got.ok ? { ok: true, headers: { [got.header.name]: got.header.value } } : { ok: false, message: got.message };
    },
    async close() {
      stop.abort();
      await auth.close();
    },
  };
}
