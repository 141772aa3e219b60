/** @module run/steps: problems with codeblue's own machinery — journaled and shown the moment they happen, never dropped. */
import { describeError, type Clock } from '../../core/index.js';
import { journalEntry, type JournalWriter } from '../../chaos/index.js';
import type { RunEventListener } from '../events.js';

export interface IncidentLog {
  /** Records `what` failed (with the error's own words) in the journal and as an `incident` event. */
  note(what: string, err?: unknown): void;
  list(): readonly string[];
}

export function createIncidentLog(journal: JournalWriter, clock: Clock, emit: RunEventListener): IncidentLog {
  const all: string[] = [];
  return {
    note(what, err) {
      const message = err === undefined ? what : `${what}: ${describeError(err)}`;
      all.push(message);
      journal.write(journalEntry(clock, { action: 'incident', outcome: 'error', reason: message }));
      emit({ type: 'incident', message });
    },
    list: () => [...all],
  };
}
