/** @module core: the shape of one line of a run's `journal.ndjson` (every phase change, fault action, halt, rollback). */

/** What happened. Fault actions come from chaos/, the rest from run/. */
export type JournalAction =
  | 'run-start'
  /** Where the run's own parts listen (chaos API, OTLP receiver, /metrics) — attributes hold the URLs. */
  | 'listening'
  | 'phase-start'
  | 'proxy-create'
  | 'proxy-delete'
  | 'fault-on'
  | 'fault-off'
  | 'halt'
  | 'hypothesis'
  | 'rollback-start'
  | 'rollback-verified'
  /** A problem with codeblue's own machinery during the run (never a target failure, which is data). */
  | 'incident'
  /** An operator's action from the live control room (halt, end a fault) or a refused one; attributes name the client. */
  | 'control'
  | 'run-end';

/** One journal line. `offsetMs` is on the run clock; `time` is ISO-8601 wall time. */
export interface JournalEntry {
  readonly time: string;
  readonly offsetMs: number;
  readonly action: JournalAction;
  readonly outcome: 'ok' | 'error';
  readonly phase?: string;
  readonly proxy?: string;
  /** Fault (toxic) name as the plan resolved it. */
  readonly toxic?: string;
  /** Toxic type, e.g. `latency`. */
  readonly type?: string;
  readonly stream?: 'upstream' | 'downstream';
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly error?: string;
  /** Names still present on the chaos server after rollback (empty = proof of a clean rollback). */
  readonly leftovers?: readonly string[];
}
