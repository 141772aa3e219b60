/**
 * @module run: what a live control room may read of a running game day (plan, metric store, journal, spans) and the
 * two things it may do: halt the run, or end one active fault early. Each action is journaled with the client address.
 */
import { journalEntry } from '../chaos/index.js';
import type { PhiScanResult, ServiceSecond, SpanAggregate } from '../collectors/index.js';
import type { JournalEntry } from '../core/index.js';
import type { MetricStore } from '../core/metrics/index.js';
import type { Plan } from '../plan/index.js';
import type { RunContext } from './steps/context.js';

/** The reason a run halted from the control room ends with (results.json `meta.haltReason`). */
export const OPERATOR_HALT_REASON = 'halted by operator from the control room';

/** What an action did; `status` is the HTTP status a control room answers with. */
export interface ControlOutcome {
  readonly ok: boolean;
  readonly status: 200 | 404 | 409 | 502;
  readonly message: string;
}

/** A running game day as a control room sees it; valid from the run folder's creation until the run is written. */
export interface RunOperator {
  readonly runId: string;
  readonly plan: Plan;
  readonly runDir: string;
  /** Everything the load measured, per second (the same store /metrics and the terminal read). */
  readonly store: MetricStore;
  /** The run offset now (ms); undefined before the first phase starts. */
  offsetMs(): number | undefined;
  /** Journal lines written so far. */
  journal(): readonly JournalEntry[];
  /** Server span aggregates per phase × service received so far. */
  spanAggregates(): readonly SpanAggregate[];
  /** Each service's SERVER span count and p95 per second so far. */
  serviceSeconds(): readonly ServiceSecond[];
  /** PHI findings so far, when the collectors scan spans as they arrive (else undefined until the run is written). */
  phi(): PhiScanResult | undefined;
  /** Names of the faults switched on and not yet off. */
  activeFaults(): readonly string[];
  /** Journals a control-room line (refused requests); a no-op once the run is written. */
  note(outcome: 'ok' | 'error', reason: string, attributes: Readonly<Record<string, unknown>>): void;
  /** Stops load, then faults off and rollback as on every exit path; the run ends `halted`. */
  halt(client: string): ControlOutcome;
  /** Removes one active fault's toxic now. */
  endFault(name: string, client: string): Promise<ControlOutcome>;
}

/** What the live step lends the desk while phases run. */
interface LiveControls {
  /** False when the run was already stopping. */
  halt(reason: string): boolean;
  endFault(name: string, reason: string): Promise<'ended' | 'not-active' | 'error'>;
  activeFaults(): readonly string[];
  spanAggregates(): readonly SpanAggregate[];
  serviceSeconds(): readonly ServiceSecond[];
  phi(): PhiScanResult | undefined;
}

export interface OperatorDesk {
  readonly operator: RunOperator;
  /** The live part started (controls work) or ended (undefined: they answer 409). */
  setLive(controls: LiveControls | undefined): void;
  /** The run folder is written: nothing more is journaled. */
  close(): void;
}

export function createOperatorDesk(ctx: RunContext): OperatorDesk {
  let live: LiveControls | undefined;
  let closed = false;
  let spans: readonly SpanAggregate[] = [];
  let seconds: readonly ServiceSecond[] = [];
  let phi: PhiScanResult | undefined;
  const note: RunOperator['note'] = (outcome, reason, attributes) => {
    if (!closed) ctx.journal.write(journalEntry(ctx.clock, { action: 'control', outcome, reason, attributes }));
  };
  const notLive: ControlOutcome = { ok: false, status: 409, message: 'the run is not in its phases (not started yet, or already ending)' };
  const operator: RunOperator = {
    runId: ctx.runId, plan: ctx.plan, runDir: ctx.folder.dir, store: ctx.store,
    offsetMs: () => (ctx.clock.started ? ctx.clock.now() : undefined),
    journal: () => ctx.journal.entries(),
    spanAggregates: () => (live ? (spans = live.spanAggregates()) : spans),
    serviceSeconds: () => (live ? (seconds = live.serviceSeconds()) : seconds),
    phi: () => (live ? (phi = live.phi()) : phi),
    activeFaults: () => live?.activeFaults() ?? [],
    note,
    halt(client) {
      if (!live) return notLive;
      note('ok', 'halt now', { client, control: 'halt' });
      return live.halt(OPERATOR_HALT_REASON)
        ? { ok: true, status: 200, message: 'halting: load stops, faults roll back' }
        : { ok: false, status: 409, message: 'the run is already stopping' };
    },
    async endFault(name, client) {
      if (!live) return notLive;
      if (!live.activeFaults().includes(name)) return { ok: false, status: 404, message: `fault "${name}" is not active` };
      note('ok', `end fault ${name} now`, { client, control: 'end-fault', fault: name });
      const done = await live.endFault(name, `ended early by operator from the control room (${client})`);
      if (done === 'ended') return { ok: true, status: 200, message: `fault "${name}" is off` };
      return done === 'not-active'
        ? { ok: false, status: 404, message: `fault "${name}" is not active` }
        : { ok: false, status: 502, message: `the chaos server did not remove fault "${name}" (see the journal)` };
    },
  };
  return { operator, setLive: (controls) => { live = controls; }, close: () => { closed = true; live = undefined; } };
}
