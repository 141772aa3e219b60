/**
 * @module cli: `codeblue collect` — the collectors on their own: an OTLP/HTTP and OTLP/gRPC sink (+ /metrics) for manual
 * game days. Ctrl-C (SIGINT) or SIGTERM is the normal end: it writes what was received and exits 0 — unlike
 * an interrupted game day (130), nothing was cut short.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { grpcPortBeside, startCollectors } from '../../collectors/index.js';
import { CodeblueError, EXIT, assertListenAllowed, createNetGuard, hostOf, newRunId, type NetGuard } from '../../core/index.js';
import type { RegisterCommand } from '../context.js';
import { parsePort } from '../flag-parsers.js';
import { untilSignal } from '../until-signal.js';

interface CollectFlags {
  readonly host: string;
  readonly port: number;
  readonly grpcPort?: number;
  /** false with --no-grpc. */
  readonly grpc: boolean;
  readonly metricsPort?: number;
  readonly out?: string;
  readonly forward?: string;
  readonly allowRemote?: boolean;
}

export const registerCollect: RegisterCommand = (program, ctx) => {
  program
    .command('collect')
    .description('receive OTLP/HTTP and OTLP/gRPC traces, logs and metrics (and serve Prometheus /metrics) until Ctrl-C, then write them to a folder')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'OTLP/HTTP port (0 picks a free one)', parsePort, 4318)
    .option('--grpc-port <port>', 'OTLP/gRPC port (default 4317, or a free one when --port is 0)', parsePort)
    .option('--no-grpc', 'do not start the OTLP/gRPC receiver')
    .option('--metrics-port <port>', 'also serve Prometheus /metrics on this port (0 picks a free one)', parsePort)
    .option('--out <dir>', 'folder for spans-0001.ndjson.gz…, logs.ndjson, metrics.ndjson, summary.json (default runs/<run id>-collect)')
    .option('--forward <url>', 'relay everything received to this OTLP/HTTP base URL (e.g. an OTel Collector)')
    .option('--allow-remote', 'allow --forward to, or --host on, a non-loopback address (telemetry may carry PHI)')
    .addHelpText('after', '\nCtrl-C ends collection normally: the files are written and the exit code is 0.')
    .action(async (flags: CollectFlags) => {
      const out = ctx.output();
      const allowRemote = flags.allowRemote === true;
      // The listener rule every listener uses: loopback unless --allow-remote (which names this host only).
      await assertListenAllowed(flags.host, { allowHosts: allowRemote ? [flags.host] : [], allowRemote }, 'collect --host');
      const forwardGuard = flags.forward === undefined ? undefined : await checkForwardUrl(flags.forward, allowRemote);
      const runId = newRunId();
      const outDir = resolve(flags.out ?? `runs/${runId}-collect`);
      const grpcPort = flags.grpc ? flags.grpcPort ?? grpcPortBeside(flags.port) : undefined;
      // A collect that cannot listen leaves no folder behind that it made (the store creates its files at start).
      const made = topmostMissing(outDir);
      const collectors = await startCollectors({
        runId, host: flags.host, port: flags.port, grpcPort, metricsPort: flags.metricsPort, outDir, forwardUrl: flags.forward, forwardGuard,
      }).catch((err: unknown) => {
        if (made !== undefined) rmSync(made, { recursive: true, force: true });
        throw err;
      });
      const metricsUrl = collectors.metrics ? `${collectors.metrics.url}/metrics` : undefined;
      const grpcUrl = collectors.grpcReceiver?.url;
      if (out.json) out.out(JSON.stringify({ event: 'listening', runId, otlp: collectors.receiver.url, otlpGrpc: grpcUrl ?? null, metrics: metricsUrl, out: outDir }));
      else {
        out.out(`   collect  OTLP/HTTP on ${collectors.receiver.url} (POST /v1/traces, /v1/metrics, /v1/logs)`);
        if (grpcUrl) out.out(`      gRPC  OTLP/gRPC on ${grpcUrl} (TraceService, LogsService, MetricsService)`);
        if (metricsUrl) out.out(`   metrics  ${metricsUrl}`);
        if (flags.forward) out.out(`   forward  ${flags.forward}`);
        out.out(`       out  ${outDir} (written on Ctrl-C)`);
      }
      await untilSignal();
      const summary = await collectors.close();
      const s = summary.store;
      if (out.json) out.out(JSON.stringify({ event: 'written', out: outDir, spans: s.spans.total, logs: s.logs.total, metricPoints: s.metricPoints.total }));
      else out.out(`   written  ${s.spans.total} spans, ${s.logs.total} log records, ${s.metricPoints.total} metric points → ${outDir}`);
      ctx.setExitCode(EXIT.ok);
    });
};

/** Checks --forward now and returns the guard its every connection goes through. */
async function checkForwardUrl(url: string, allowRemote: boolean): Promise<NetGuard> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CodeblueError('CB_USAGE', `--forward must be an http(s) URL, but is "${url}"`, { hint: 'e.g. --forward http://127.0.0.1:4319' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CodeblueError('CB_USAGE', `--forward must be an http(s) URL, but is "${url}"`, { hint: 'OTLP/HTTP only; gRPC (4317) is not supported' });
  }
  const guard = createNetGuard({ policy: { allowHosts: allowRemote ? [hostOf(url)] : [], allowRemote }, planKey: 'collect --forward' });
  await guard.assertAllowed(url);
  return guard;
}

/** The outermost folder on the way to `dir` that does not exist yet (what creating `dir` makes), if any. */
function topmostMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let p = dir; !existsSync(p); p = dirname(p)) {
    missing = p;
    if (dirname(p) === p) break;
  }
  return missing;
}
