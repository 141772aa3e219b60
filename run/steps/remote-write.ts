/**
 * @module run/steps: the plan's live metric outputs (Prometheus remote write): started before the first phase,
 * stopped — with a last push of everything recorded — before the run is evaluated. A failed push is an incident.
 */
import { remoteWriteOutputsOf, startRemoteWrite, type RemoteWriteOutput } from '../../collectors/index.js';
import type { RunContext } from './context.js';

/** Starts one pusher per `prometheus-rw` output; throws CB_TARGET_NOT_ALLOWED (setup) for a URL the guard refuses. */
export async function startMetricOutputs(ctx: RunContext): Promise<RemoteWriteOutput[]> {
  const started: RemoteWriteOutput[] = [];
  try {
    for (const config of remoteWriteOutputsOf(ctx.plan.outputs)) {
      started.push(await startRemoteWrite({
        config, store: ctx.store, testId: ctx.runId, guard: ctx.guard,
        onError: (message) => ctx.incidents.note(message),
      }));
      ctx.emit({ type: 'step', message: `pushing k6 metrics to ${config.url} every ${config.pushInterval / 1000}s (Prometheus remote write, testid=${ctx.runId})` });
    }
  } catch (err) {
    await stopMetricOutputs(ctx, started);
    throw err;
  }
  return started;
}

/** The last push of each output (everything recorded so far), then a summary line. */
export async function stopMetricOutputs(ctx: RunContext, outputs: readonly RemoteWriteOutput[]): Promise<void> {
  for (const output of outputs) {
    const s = await output.stop();
    ctx.emit({ type: 'step', message: `remote write to ${output.url}: ${s.pushes} pushes, ${s.series} series${s.failed > 0 ? `, ${s.failed} failed` : ''}` });
  }
}
