/** @module run: starts the embedded parts a plan needs — the chaos server (unless a real Toxiproxy is named) and the collectors. */
import { parseHostPort } from '../core/schema-kit.js';
import type { NetGuard } from '../core/index.js';
import { startChaosServer, type ChaosServer } from '../chaos/index.js';
import { startCollectors, type Collectors, type TraceAssertion } from '../collectors/index.js';
import { createSyntheticData } from '../scenarios/index.js';
import { isProbe } from './hypothesis.js';
import { planLatencyBoundsMs, type Plan } from '../plan/index.js';
import { otlpGrpcListenOf } from './otlp-grpc-listen.js';

/** What the collectors need from the rest of the run to judge and scan spans at ingest. */
export interface EmbeddedExtras {
  /** True for a load exemplar's trace id (kept by tail sampling). */
  readonly isExemplar?: (traceId: string) => boolean;
}

export interface EmbeddedParts {
  /** Toxiproxy API URL the timeline drives (embedded or real). */
  readonly chaosUrl: string;
  readonly chaosServer: ChaosServer | undefined;
  readonly collectors: Collectors;
  /** Credentials the load's auth obtains while it runs; the PHI scan at ingest looks for them from then on. */
  readonly secrets: Set<string>;
  /** Closes what was started here, in reverse order; never throws. */
  close(): Promise<void>;
}

/** `guard` (from run/net-checks, which also checked every listen address) is the forwarder's connect-time guard. */
export async function startEmbedded(plan: Plan, runId: string, runDir: string, guard?: NetGuard, extras: EmbeddedExtras = {}): Promise<EmbeddedParts> {
  let chaosServer: ChaosServer | undefined;
  if (plan.chaos.server === 'embedded') {
    const listen = parseHostPort(plan.chaos.listen) ?? { host: '127.0.0.1', port: 0 };
    chaosServer = await startChaosServer({ host: listen.host, port: listen.port, listenSetting: `chaos.listen in ${plan.file}`, ...(plan.chaos.seed === undefined ? {} : { seed: plan.chaos.seed }) });
  }
  const otlp = parseHostPort(plan.collectors.otlpListen) ?? { host: '127.0.0.1', port: 4318 };
  const grpc = otlpGrpcListenOf(plan.collectors);
  const metrics = parseHostPort(plan.collectors.metricsListen);
  let collectors: Collectors;
  const secrets = new Set<string>();
  try {
    collectors = await startCollectors({
      runId,
      host: otlp.host,
      port: otlp.port,
      // The gRPC receiver shares the HTTP receiver's host: a plan giving it another one gets that host checked and used.
      ...(grpc ? { grpcPort: grpc.port, grpcHost: grpc.host } : {}),
      metricsPort: metrics?.port,
      outDir: runDir,
      listenSettings: {
        otlp: `collectors.otlpListen in ${plan.file}`, grpc: `collectors.otlpGrpcListen in ${plan.file}`, metrics: `collectors.metricsListen in ${plan.file}`,
      },
      maxBytesInMemory: plan.collectors.maxMemoryMiB * 1024 * 1024,
      spans: plan.collectors.spans,
      ...(extras.isExemplar ? { isExemplar: extras.isExemplar } : {}),
      // The synthetic values come from the plan's seed, as the load's own (live.ts) do: known before any span arrives.
      phi: { syntheticValues: createSyntheticData(plan.seed).listValues(), secretValues: secrets, compliance: plan.compliance },
      traceAssertions: plan.hypothesis.filter((h): h is TraceAssertion => !isProbe(h)),
      latencyBoundsMs: planLatencyBoundsMs(plan),
      ...(plan.collectors.forward ? { forwardUrl: plan.collectors.forward, forwardGuard: guard?.withKey('collectors.forward') } : {}),
    });
  } catch (err) {
    await chaosServer?.close();
    throw err;
  }
  return {
    chaosUrl: chaosServer?.url ?? plan.chaos.server,
    chaosServer,
    collectors,
    secrets,
    async close() {
      await collectors.close().catch(() => undefined);
      await chaosServer?.close().catch(() => undefined);
    },
  };
}
