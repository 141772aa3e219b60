/** @module run: one game day — start what is embedded, phases, faults, halt, rollback, the run folder. */
export { executeGameDay } from './execute.js';
export type { ExecuteOptions, GameDayOutcome } from './execute.js';
export { runGameDay } from './game-day.js';
export type { GameDayOptions, GameDayRecord, GameDayStatus } from './game-day.js';
export { verifyLedger, createLedger } from './ledger.js';
export type { AcknowledgedWrite, LedgerProblem, LedgerResult } from './ledger.js';
export type { RunEvent, RunEventListener, TickStats } from './events.js';
