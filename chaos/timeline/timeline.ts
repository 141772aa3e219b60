/**
 * @module chaos/timeline: runs a plan's faults on the run clock: creates the run's proxies (`cb-<runId>-<name>`),
 * switches toxics on and off at their times, journals every action, and rolls everything back with proof.
 */
import type { Proxy } from 'toxiproxy-node-client';
import { CodeblueError, type Clock, type FaultEvent, type JournalEntry, millis, type NetGuard } from '../../core/index.js';
import { journalEntry, type JournalWriter } from '../journal.js';
import type { ProxySpec } from '../schema.js';
import { rollbackRun, type RollbackResult } from './rollback.js';
import { chaosError, clientFor, createProxy } from './server-client.js';
import { runPrefix, type ResolvedFault } from './types.js';

export interface FaultTimelineOptions {
  /** Toxiproxy API base URL (embedded or real). */
  readonly serverUrl: string;
  readonly runId: string;
  /** `listen` is what the target connects to; `upstream` is the real dependency. */
  readonly proxies: readonly ProxySpec[];
  readonly faults: readonly ResolvedFault[];
  readonly clock: Clock;
  readonly journal: JournalWriter;
  readonly onEvent?: (event: FaultEvent) => void;
  /** Every call to the chaos server connects through it (default: loopback only). */
  readonly guard?: NetGuard;
}

export interface FaultTimeline {
  /** The prefix of everything this run creates on the server. */
  readonly prefix: string;
  /** Creates the run's proxies; throws CB_CHAOS_* on the first failure (call `rollback()` then). */
  setup(): Promise<void>;
  /** Switches faults on and off at their times until all are done or `signal` aborts. Failures are journalled, not thrown. */
  run(signal: AbortSignal): Promise<void>;
  /** Removes everything with the run's prefix and proves nothing is left. Idempotent; safe from a signal handler. */
  rollback(): Promise<RollbackResult>;
  /** Faults switched on and not yet off. */
  activeFaults(): readonly ResolvedFault[];
  /**
   * Stops the schedule and switches every active fault off, keeping the proxies (the target still talks
   * through them while the steady state and the ledger are checked). Failures are journalled, not thrown.
   */
  clearFaults(): Promise<void>;
  /**
   * Switches one active fault off now, before its planned end; `reason` goes on its journaled `fault-off`.
   * Resolves `not-active` when the fault is not on, `error` when the server refused (journalled, as always).
   */
  endFault(name: string, reason: string): Promise<'ended' | 'not-active' | 'error'>;
}

interface Step {
  readonly at: number;
  readonly action: 'on' | 'off';
  readonly fault: ResolvedFault;
}

/** Builds the timeline; nothing touches the server before `setup()`. */
export function createFaultTimeline(options: FaultTimelineOptions): FaultTimeline {
  const { serverUrl, clock, journal } = options;
  const prefix = runPrefix(options.runId);
  const client = clientFor(serverUrl, options.guard);
  const proxies = new Map<string, Proxy>();
  const active = new Set<ResolvedFault>();
  let stopped = false;
  let inflight: Promise<unknown> = Promise.resolve();
  let rollback: Promise<RollbackResult> | undefined;
  const log = (fields: Omit<JournalEntry, 'time' | 'offsetMs'>): void => journal.write(journalEntry(clock, fields));
  const track = <T>(p: Promise<T>): Promise<T> => ((inflight = p.catch(() => undefined)), p);

  async function setup(): Promise<void> {
    for (const spec of options.proxies) {
      if (stopped) return;
      const name = prefix + spec.name;
      try {
        const body = { name, listen: spec.listen, upstream: spec.upstream, enabled: spec.enabled, ...(spec.protocol === 'http' ? { protocol: 'http' as const } : {}) };
        proxies.set(spec.name, await track(createProxy(client, body)));
        log({ action: 'proxy-create', proxy: name, outcome: 'ok' });
      } catch (err) {
        const error = chaosError(serverUrl, `creating proxy ${name} (${spec.listen} → ${spec.upstream})`, err);
        log({ action: 'proxy-create', proxy: name, outcome: 'error', error: error.message });
        throw error;
      }
    }
  }

  async function apply(step: Step, reason?: string): Promise<boolean> {
    const { fault, action } = step;
    const proxy = proxies.get(fault.proxy);
    const toxicName = prefix + fault.name;
    const base = { proxy: prefix + fault.proxy, toxic: fault.name, type: fault.toxic, stream: fault.stream } as const;
    const journalAction = action === 'on' ? 'fault-on' : 'fault-off';
    try {
      if (!proxy) throw new CodeblueError('CB_CHAOS_API', `fault ${fault.name} names proxy ${fault.proxy}, which this run did not create`);
      if (fault.toxic === 'down') {
        // Toxiproxy has no `down` toxic: the proxy is disabled for the window.
        await track(proxy.update({ enabled: action === 'off', listen: proxy.listen, upstream: proxy.upstream }));
      } else if (action === 'on') {
        const body = { name: toxicName, type: fault.toxic, stream: fault.stream, toxicity: fault.toxicity, attributes: fault.attributes };
        await track(proxy.addToxic(body as Parameters<Proxy['addToxic']>[0]));
      } else {
        await track(proxy.getToxic(toxicName).then((t) => t.remove()));
      }
      if (action === 'on') active.add(fault);
      else active.delete(fault);
      log({ action: journalAction, ...base, attributes: fault.attributes, outcome: 'ok', ...(reason ? { reason } : {}) });
      options.onEvent?.({ at: clock.now(), action, proxy: base.proxy, toxic: fault.name, type: fault.toxic, outcome: 'ok' });
      return true;
    } catch (err) {
      const error = err instanceof CodeblueError ? err : chaosError(serverUrl, `switching fault ${fault.name} ${action}`, err);
      log({ action: journalAction, ...base, attributes: fault.attributes, outcome: 'error', error: error.message });
      options.onEvent?.({ at: clock.now(), action, proxy: base.proxy, toxic: fault.name, type: fault.toxic, outcome: 'error', error: error.message });
      return false;
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    const steps: Step[] = options.faults.flatMap((fault) => [
      { at: fault.startMs, action: 'on' as const, fault },
      { at: fault.endMs, action: 'off' as const, fault },
    ]);
    // Offs before ons at the same instant, so back-to-back windows never collide on a toxic name.
    steps.sort((a, b) => a.at - b.at || (a.action === b.action ? 0 : a.action === 'off' ? -1 : 1));
    for (const step of steps) {
      try {
        await clock.sleepUntil(millis(step.at), signal);
      } catch {
        return;
      }
      if (stopped || signal.aborted) return;
      if (step.action === 'off' && !active.has(step.fault)) continue;
      await apply(step);
    }
  }

  return {
    prefix,
    setup,
    run,
    activeFaults: () => [...active],
    async clearFaults() {
      stopped = true;
      await Promise.race([inflight, new Promise((r) => setTimeout(r, 2_000).unref())]);
      for (const fault of [...active]) await apply({ at: clock.now(), action: 'off', fault });
    },
    async endFault(name, reason) {
      const fault = [...active].find((f) => f.name === name);
      if (!fault || stopped) return 'not-active';
      // Out of `active` before the call, so the schedule's own off for this window is skipped, not sent twice.
      active.delete(fault);
      return (await track(apply({ at: clock.now(), action: 'off', fault }, reason))) ? 'ended' : 'error';
    },
    rollback() {
      stopped = true;
      rollback ??= (async () => {
        // Let a call already on the wire land first, so what it creates is seen and removed.
        await Promise.race([inflight, new Promise((r) => setTimeout(r, 2_000).unref())]);
        active.clear();
        return rollbackRun({ client, serverUrl, prefix, log });
      })();
      return rollback;
    },
  };
}
