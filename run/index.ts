/** @module run: one game day — start what is embedded, phases, faults, halt, rollback, the run folder. */
export { executeGameDay } from './execute.js';
export type { ExecuteOptions, GameDayOutcome } from './execute.js';
export { runGameDay } from './game-day.js';
export { startControlRoom } from './control-room/server.js';
export type { ControlRoom, ControlRoomOptions } from './control-room/server.js';
export { OPERATOR_HALT_REASON } from './operator-desk.js';
export type { ControlOutcome, RunOperator } from './operator-desk.js';
export type { GameDayOptions, GameDayRecord, GameDayStatus, RunEndpoints, TargetExit } from './types.js';
export { verifyLedger, createLedger } from './ledger.js';
export { assertTargetPortFree } from './target-port.js';
export type { AcknowledgedWrite, LedgerProblem, LedgerResult } from './ledger.js';
export type { RunEvent, RunEventListener, RunLatency, TickStats } from './events.js';
export { cleanLeftovers, describeCleanup } from './leftovers.js';
export type { CleanupOptions, CleanupReport, LeftoverRun } from './leftovers.js';
export { watchParentDeath } from './parent-watch.js';
/** @internal for tests and benchmarks that drive one part of a run on its own. */
export { loadQueryOf } from './load-query.js';
/** @internal */
export { demoStackCommand, targetEnvironment } from './demo-stack.js';
/** @internal */
export { checkHypothesis } from './hypothesis.js';
/** @internal */
export { checkPlanNetwork } from './net-checks.js';
/** @internal */
export { waitForHealth } from './health-wait.js';
