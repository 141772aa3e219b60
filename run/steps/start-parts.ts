/**
 * @module run/steps: step 2 — the embedded chaos server (or a real Toxiproxy) and the collectors, then the run's
 * fault timeline on them. Where they listen is said at once: terminal, `--json` events and the journal.
 */
import { createFaultTimeline, journalEntry, type FaultTimeline } from '../../chaos/index.js';
import { startEmbedded, type EmbeddedParts } from '../embedded.js';
import { exemplarTraceIds } from '../exemplar-trace-ids.js';
import type { RunEndpoints } from '../types.js';
import type { RunContext } from './context.js';

/** Starts what is embedded; throws CB_PORT_IN_USE (hint: the plan key) when a port is taken. */
export async function startParts(ctx: RunContext): Promise<EmbeddedParts> {
  const { plan } = ctx;
  ctx.emit({ type: 'step', message: plan.chaos.server === 'embedded' ? 'starting the embedded chaos server and collectors' : `using Toxiproxy at ${plan.chaos.server}; starting collectors` });
  const parts = await startEmbedded(plan, ctx.runId, ctx.folder.dir, ctx.guard, { isExemplar: exemplarTraceIds(ctx.store, ctx.clock) });
  const at = endpointsOf(parts);
  ctx.journal.write(journalEntry(ctx.clock, {
    action: 'listening', outcome: 'ok', attributes: { ...at },
    reason: `chaos API ${at.chaosUrl} · OTLP ${at.otlpUrl}${at.otlpGrpcUrl ? ` · OTLP/gRPC ${at.otlpGrpcUrl}` : ''} · ${at.metricsUrl ? `metrics ${at.metricsUrl}` : 'no /metrics endpoint'}`,
  }));
  ctx.emit({ type: 'endpoints', chaosUrl: at.chaosUrl, otlpUrl: at.otlpUrl, ...(at.otlpGrpcUrl ? { otlpGrpcUrl: at.otlpGrpcUrl } : {}), metricsUrl: at.metricsUrl ?? null });
  return parts;
}

export function endpointsOf(parts: EmbeddedParts): RunEndpoints {
  const metrics = parts.collectors.metrics;
  const grpc = parts.collectors.grpcReceiver;
  return {
    chaosUrl: parts.chaosUrl, otlpUrl: parts.collectors.receiver.url, ...(grpc ? { otlpGrpcUrl: grpc.url } : {}),
    metricsUrl: metrics ? `${metrics.url}/metrics` : undefined,
  };
}

/** The run's fault timeline on the chaos server; nothing touches the server until `setup()`. */
export function faultTimelineFor(ctx: RunContext, parts: EmbeddedParts): FaultTimeline {
  const { plan } = ctx;
  return createFaultTimeline({
    serverUrl: parts.chaosUrl, runId: ctx.runId, proxies: plan.proxies, faults: plan.faults, clock: ctx.clock, journal: ctx.journal, guard: ctx.guard.withKey('chaos.server'),
    onEvent: (e) => {
      parts.collectors.recordFault(e);
      const fault = plan.faults.find((f) => f.name === e.toxic);
      ctx.emit({ type: 'fault', atMs: e.at, action: e.action, name: e.toxic, proxy: fault?.proxy ?? e.proxy, toxic: e.type, outcome: e.outcome, ...(e.error ? { error: e.error } : {}) });
    },
  });
}
