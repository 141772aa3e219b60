/** @module collectors/store: which game-day phase a moment belongs to, from the orchestrator's phase changes. */

/** The phase of everything when the orchestrator never sets one (e.g. `codeblue collect`). */
export const DEFAULT_PHASE = 'run';
/** The phase of spans that started before the first phase began. */
export const BEFORE_FIRST_PHASE = 'before';

export interface PhaseTimeline {
  /** Marks `name` as the phase from `atEpochMs` on. Calls may come in any order. */
  set(name: string, atEpochMs: number): void;
  /** The phase at `epochMs`. */
  at(epochMs: number): string;
  /** The phase set last (the current one), or DEFAULT_PHASE. */
  current(): string;
  entries(): readonly { readonly name: string; readonly atEpochMs: number }[];
}

export function createPhaseTimeline(): PhaseTimeline {
  const entries: { name: string; atEpochMs: number }[] = [];
  let latest = DEFAULT_PHASE;
  return {
    set(name, atEpochMs) {
      latest = name;
      let i = entries.length;
      while (i > 0 && (entries[i - 1] as { atEpochMs: number }).atEpochMs > atEpochMs) i--;
      entries.splice(i, 0, { name, atEpochMs });
    },
    at(epochMs) {
      if (entries.length === 0) return DEFAULT_PHASE;
      let lo = 0;
      let hi = entries.length - 1;
      if (epochMs < (entries[0] as { atEpochMs: number }).atEpochMs) return BEFORE_FIRST_PHASE;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((entries[mid] as { atEpochMs: number }).atEpochMs <= epochMs) lo = mid;
        else hi = mid - 1;
      }
      return (entries[lo] as { name: string }).name;
    },
    current: () => latest,
    entries: () => entries.slice(),
  };
}
