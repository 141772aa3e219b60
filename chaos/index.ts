/** @module chaos: the embedded Toxiproxy-compatible server, the fault timeline, the journal and the rollback guard. */
export { startChaosServer } from './api/server.js';
export type { ChaosServer, ChaosServerOptions } from './api/server.js';
export { TOXIPROXY_API_VERSION } from './api/routes.js';
export { createFaultTimeline } from './timeline/timeline.js';
export type { FaultTimeline, FaultTimelineOptions } from './timeline/timeline.js';
export { runPrefix } from './timeline/types.js';
export type { ResolvedFault } from './timeline/types.js';
export { resetLeftovers } from './timeline/rollback.js';
export type { RollbackResult } from './timeline/rollback.js';
export { clientFor } from './timeline/server-client.js';
export { listRunProxies, removeProxies, runIdOfProxy } from './timeline/leftovers.js';
export type { RunProxies } from './timeline/leftovers.js';
export { createJournal, journalEntry } from './journal.js';
export type { JournalWriter } from './journal.js';
export { installRollbackGuard } from './rollback-guard.js';
export type { GuardTrigger, RollbackGuardOptions } from './rollback-guard.js';
export { TOXICS, findToxic } from './toxics/registry.js';
export type { ToxicDefinition, ToxicStub, StreamChunk } from './toxics/toxic.js';
export { chaosSchema, proxySchema, faultSchema } from './schema.js';
export type { ChaosSpec, ProxySpec, FaultSpec } from './schema.js';
export { TOXIC_ATTRIBUTES, TOXIC_TYPES, HTTP_TOXIC_TYPES } from './toxics/attributes.js';
/** @internal the proxy core on its own, for tests that dial through it without the API. */
export { ToxicProxy } from './proxy/proxy.js';
/** @internal */
export { ProxyMetrics } from './proxy/metrics.js';
