/** @module run: one game day — start what is embedded, phases, faults, halt, rollback, the run folder. */
export type { RunEvent, RunEventListener, TickStats } from './events.js';
