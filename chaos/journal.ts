/**
 * @module chaos: the run journal writer (`journal.ndjson`): one JSON line per action, written synchronously so an
 * interrupted process still has every line on disk. The orchestrator writes its phase changes through it too.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodeblueError, type Clock, type JournalEntry } from '../core/index.js';

export interface JournalWriter {
  /** Appends one line now (fs.appendFileSync). */
  write(entry: JournalEntry): void;
  readonly path: string;
}

/** Opens (creates) the journal file and its folder; every `write` appends one ndjson line. */
export function createJournal(filePath: string): JournalWriter {
  try {
    mkdirSync(dirname(filePath), { recursive: true });
    appendFileSync(filePath, '');
  } catch (err) {
    throw new CodeblueError('CB_RUN_DIR_INVALID', `cannot write the journal ${filePath}`, { hint: 'check the run folder is writable', cause: err });
  }
  return {
    path: filePath,
    write(entry) {
      appendFileSync(filePath, `${JSON.stringify(entry)}\n`);
    },
  };
}

/** A journal entry stamped with the clock's offset and wall time. */
export function journalEntry(clock: Clock, fields: Omit<JournalEntry, 'time' | 'offsetMs'>): JournalEntry {
  const offsetMs = Math.round(clock.now());
  return { time: new Date(clock.wallAt(clock.now())).toISOString(), offsetMs, ...fields };
}
