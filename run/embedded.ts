/** @module run: starts the embedded parts a plan needs — the chaos server (unless a real Toxiproxy is named) and the collectors. */
import { parseHostPort } from '../core/schema-kit.js';
import type { NetGuard } from '../core/index.js';
import { startChaosServer, type ChaosServer } from '../chaos/index.js';
import { startCollectors, type Collectors } from '../collectors/index.js';
import { planLatencyBoundsMs, type Plan } from '../plan/index.js';
import { otlpGrpcListenOf } from './otlp-grpc-listen.js';

export interface EmbeddedParts {
  /** Toxiproxy API URL the timeline drives (embedded or real). */
  readonly chaosUrl: string;
  readonly chaosServer: ChaosServer | undefined;
  readonly collectors: Collectors;
  /** Closes what was started here, in reverse order; never throws. */
  close(): Promise<void>;
}

/** `guard` (from run/net-checks, which also checked every listen address) is the forwarder's connect-time guard. */
export async function startEmbedded(plan: Plan, runId: string, runDir: string, guard?: NetGuard): Promise<EmbeddedParts> {
  let chaosServer: ChaosServer | undefined;
  if (plan.chaos.server === 'embedded') {
    const listen = parseHostPort(plan.chaos.listen) ?? { host: '127.0.0.1', port: 0 };
    chaosServer = await startChaosServer({ host: listen.host, port: listen.port, listenSetting: `chaos.listen in ${plan.file}`, ...(plan.chaos.seed === undefined ? {} : { seed: plan.chaos.seed }) });
  }
  const otlp = parseHostPort(plan.collectors.otlpListen) ?? { host: '127.0.0.1', port: 4318 };
  const grpc = otlpGrpcListenOf(plan.collectors);
  const metrics = parseHostPort(plan.collectors.metricsListen);
  let collectors: Collectors;
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
    async close() {
      await collectors.close().catch(() => undefined);
      await chaosServer?.close().catch(() => undefined);
    },
  };
}
