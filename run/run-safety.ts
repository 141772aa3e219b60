/**
 * @module run: the crash-safety part of a game day, in four calls the orchestrator makes — when the run folder exists
 * (record the run, sweep dead runs' leftovers), before the proxies are created, before the target starts, and at the
 * end of finish (sweep other dead runs' proxies off this run's server, mark the run finished).
 */
import type { Plan } from '../plan/index.js';
import type { RunEventListener } from './events.js';
import { cleanLeftovers, describeCleanup } from './leftovers.js';
import { openRunState, type RunState } from './run-state.js';
import type { TargetRecord } from './target-process.js';

/** What the rollback found of other runs on this run's chaos server. */
interface OtherLeftovers {
  /** Proxies of dead runs removed at the end of this run. */
  readonly removed: readonly string[];
  /** What could not be removed or checked. */
  readonly failed: readonly string[];
}

export interface RunSafety {
  readonly state: RunState;
  /** Call before the first proxy is created. */
  chaosReady(chaos: { readonly url: string; readonly prefix: string }): void;
  /** Pass as `startTarget({ record })`: records the command before the spawn, the process group right after. */
  readonly recordTarget: (target: TargetRecord) => void;
  /** After this run's own rollback: removes dead runs' proxies from the same server, so "nothing left" is true. */
  othersAfterRollback(chaosUrl: string): Promise<OtherLeftovers>;
  /** End of finish: the run ended cleanly (whatever its verdict). */
  finish(status: string): void;
}

export interface RunSafetyOptions {
  readonly plan: Plan;
  readonly runId: string;
  readonly runDir: string;
  readonly outRoot: string;
  readonly emit: RunEventListener;
}

/** Records the run (state.json) and removes what dead runs left (their target groups; proxies on the plan's server). */
export async function startRunSafety(options: RunSafetyOptions): Promise<RunSafety> {
  const { plan, runId, emit } = options;
  const state = openRunState(options.runDir, runId);
  const servers = plan.chaos.server === 'embedded' ? [] : [plan.chaos.server];
  const report = await cleanLeftovers({ outRoot: options.outRoot, servers, exceptRunIds: [runId] });
  for (const line of describeCleanup(report)) emit({ type: 'step', message: line });
  return {
    state,
    chaosReady: (chaos) => state.record({ chaos: { url: chaos.url, prefix: chaos.prefix, proxies: plan.proxies.map((p) => chaos.prefix + p.name), embedded: plan.chaos.server === 'embedded' } }),
    recordTarget: (target) => state.record({ target }),
    async othersAfterRollback(chaosUrl) {
      const found = await cleanLeftovers({ servers: [chaosUrl], exceptRunIds: [runId] });
      const fromServer = found.runs.filter((r) => r.server === chaosUrl);
      return {
        removed: fromServer.flatMap((r) => r.removedProxies),
        failed: [...fromServer.flatMap((r) => r.problems.map((p) => `run ${r.runId}: ${p}`)), ...found.problems],
      };
    },
    finish: (status) => state.finish(status),
  };
}
