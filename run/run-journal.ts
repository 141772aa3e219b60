/**
 * @module run: the run's journal, on the run clock. Lines written before the first phase (proxies created, target
 * started, steady state checked) are held until the clock starts, then written with their (negative) offsets from
 * the run origin, so every `offsetMs` in the file is on one time axis.
 */
import type { JournalEntry } from '../core/index.js';
import type { JournalWriter } from '../chaos/index.js';

export interface RunJournal extends JournalWriter {
  /** The run clock started at `originEpochMs`: write what was held, with offsets from it. */
  startAt(originEpochMs: number): void;
  /** Writes anything still held (a run that never reached its first phase keeps setup-relative offsets). */
  flush(): void;
  /** Every line written to the file so far, in order (a few hundred at most: phases, faults, halts — never samples). */
  entries(): readonly JournalEntry[];
}

export function createRunJournal(file: JournalWriter): RunJournal {
  let held: JournalEntry[] | undefined = [];
  const written: JournalEntry[] = [];
  const put = (entry: JournalEntry): void => {
    file.write(entry);
    written.push(entry);
  };
  const release = (rebase?: number): void => {
    const entries = held ?? [];
    held = undefined;
    for (const e of entries) put(rebase === undefined ? e : { ...e, offsetMs: Date.parse(e.time) - rebase });
  };
  return {
    path: file.path,
    write(entry) {
      if (held) held.push(entry);
      else put(entry);
    },
    startAt: (originEpochMs) => release(originEpochMs),
    flush: () => release(),
    entries: () => written,
  };
}
