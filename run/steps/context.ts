/** @module run/steps: what every step of a game day shares — plan, run folder, journal, clock, events, incidents. */
import type { DeferredClock, NetGuard } from '../../core/index.js';
import type { MetricStore } from '../../core/metrics/index.js';
import type { Plan } from '../../plan/index.js';
import type { RunEventListener } from '../events.js';
import type { RunFolder } from '../run-folder.js';
import type { RunJournal } from '../run-journal.js';
import type { RunSafety } from '../run-safety.js';
import type { IncidentLog } from './incidents.js';

export interface RunContext {
  readonly plan: Plan;
  readonly runId: string;
  readonly folder: RunFolder;
  readonly journal: RunJournal;
  /** One clock for phases, faults, load and journal; offset 0 is the start of the first phase. */
  readonly clock: DeferredClock;
  readonly emit: RunEventListener;
  /** Everything the load measured (k6 metric names), per second. */
  readonly store: MetricStore;
  readonly incidents: IncidentLog;
  readonly startedAtEpochMs: number;
  /** Aborting it interrupts the run. */
  readonly signal: AbortSignal | undefined;
  readonly engine: 'embedded' | 'k6';
  readonly allowRemote: boolean;
  /** Every outbound connection of the run goes through it (checked on the resolved address at connect time). */
  readonly guard: NetGuard;
  /** The run's state file and the sweep of dead runs' leftovers (crash safety, SIGKILL included). */
  readonly safety: RunSafety;
}
