/**
 * @module run: the plan's network entries checked before anything starts — every host codeblue will connect to
 * (target, proxy upstreams, chaos server, OTLP forward) and every address it will listen on (chaos API, proxies,
 * OTLP/HTTP and OTLP/gRPC receivers, /metrics). Connections are checked again at connect time by the guard this returns.
 */
import { assertListenAllowed, createNetGuard, type NetGuard, type Resolver, type TargetPolicy } from '../core/index.js';
import { parseHostPort } from '../core/schema-kit.js';
import type { Plan } from '../plan/index.js';
import { otlpGrpcListenOf } from './otlp-grpc-listen.js';

/** The plan's slice this needs (the whole `Plan` fits). */
export type PlanNetwork = Pick<Plan, 'target' | 'proxies' | 'chaos' | 'collectors'>;

/**
 * Throws `CB_TARGET_NOT_ALLOWED` (exit 2) on the first entry that leaves loopback without `safety.allowHosts`
 * AND `--allow-remote`; returns the guard every connection of the run goes through.
 */
export async function checkPlanNetwork(plan: PlanNetwork, policy: TargetPolicy, resolve?: Resolver): Promise<NetGuard> {
  const guard = createNetGuard({ policy, planKey: 'target.baseUrl', ...(resolve ? { resolve } : {}) });
  await guard.assertAllowed(plan.target.baseUrl);
  for (const [i, proxy] of plan.proxies.entries()) {
    await assertListenAllowed(hostPart(proxy.listen), policy, `proxies[${i}].listen`, resolve);
    await guard.withKey(`proxies[${i}].upstream`).assertAllowed(proxy.upstream);
  }
  if (plan.chaos.server !== 'embedded') await guard.withKey('chaos.server').assertAllowed(plan.chaos.server);
  else if (plan.chaos.listen !== undefined) await assertListenAllowed(hostPart(plan.chaos.listen), policy, 'chaos.listen', resolve);
  if (plan.collectors.forward !== undefined) await guard.withKey('collectors.forward').assertAllowed(plan.collectors.forward);
  for (const key of ['otlpListen', 'metricsListen'] as const) {
    const listen = plan.collectors[key];
    if (listen !== undefined) await assertListenAllowed(hostPart(listen), policy, `collectors.${key}`, resolve);
  }
  const grpc = otlpGrpcListenOf(plan.collectors);
  if (grpc) await assertListenAllowed(grpc.host, policy, grpc.key, resolve);
  return guard;
}

/** The host of a `host:port` listen string (`''` when it has none, i.e. every interface). */
function hostPart(listen: string): string {
  return parseHostPort(listen)?.host ?? listen.replace(/:\d*$/, '');
}
