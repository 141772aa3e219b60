/**
 * @module collectors: the collectors wired together — receiver → span store → live metrics — as one unit the
 * orchestrator (or `codeblue collect`) starts, feeds phases/faults into, and closes to get a summary on disk.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultEvent, NetGuard } from '../core/index.js';
import { createMetricsRegistry, type MetricsRegistry } from './metrics/registry.js';
import { startMetricsServer, type MetricsServer } from './metrics/server.js';
import { startOtlpGrpcReceiver, type GrpcReceiverStats, type OtlpGrpcReceiver } from './otlp/grpc-receiver.js';
import { addLimitCounts, noLimitCounts, type RecordLimits } from './otlp/limits.js';
import { startOtlpReceiver, type OtlpReceiver, type OtlpSink, type ReceiverStats } from './otlp/receiver.js';
import { createTraceAssertionAccumulator, type TraceAssertionResult } from './assertions/evaluate.js';
import { createPhiScanner, type PhiScannerOptions, type PhiScanResult } from './phi/scan.js';
import type { TraceAssertion } from './schema.js';
import { createSpanStore, type SelfTimeEntry, type SpanAggregate, type SpanStore, type SpanStoreStats } from './store/span-store.js';
import type { SpanSettings } from './store/spans-schema.js';

export interface CollectorsOptions {
  readonly runId: string;
  /** Receiver address; defaults 127.0.0.1:4318. */
  readonly host?: string;
  readonly port?: number;
  /** OTLP/gRPC port on the same host (0 = any free one); undefined = no gRPC receiver. */
  readonly grpcPort?: number;
  /** Host of the gRPC receiver; defaults to `host`. */
  readonly grpcHost?: string;
  /** Serve /metrics on this port (0 = any free one); undefined = no metrics server. */
  readonly metricsPort?: number;
  /** Folder for the span files (spans-0001.ndjson.gz…), logs.ndjson, metrics.ndjson and summary.json (the run folder). */
  readonly outDir?: string;
  readonly forwardUrl?: string;
  /** Every forwarding connection goes through it (default: loopback only, naming collectors.forward). */
  readonly forwardGuard?: NetGuard;
  readonly maxSpansInMemory?: number;
  /** Which raw spans are kept (plan `collectors.spans`; default here: all). */
  readonly spans?: Partial<SpanSettings>;
  /** True for a load exemplar's trace id: kept when sampling. */
  readonly isExemplar?: (traceId: string) => boolean;
  /** Scan every span and log record for PHI as it arrives (the findings are in `phi()`). */
  readonly phi?: PhiScannerOptions;
  /** Trace assertions evaluated on every span as it arrives (results in `traceAssertions()`). */
  readonly traceAssertions?: readonly TraceAssertion[];
  /** Estimated bytes of received telemetry kept in memory; past it the oldest spill to `outDir` (or are dropped). */
  readonly maxBytesInMemory?: number;
  /** What is kept of each record (SDK-style attribute, event and link limits). */
  readonly limits?: RecordLimits;
  readonly maxBodyBytes?: number;
  /** Latencies (ms) that get a /metrics histogram bucket of their own (the plan's SLO and threshold latencies). */
  readonly latencyBoundsMs?: readonly number[];
  /** Plan keys that set the two addresses, for port-in-use hints (defaults: the `collect` flags). */
  readonly listenSettings?: { readonly otlp?: string; readonly grpc?: string; readonly metrics?: string };
}

export interface CollectorsSummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly receiver: ReceiverStats;
  /** Present when the OTLP/gRPC receiver ran. */
  readonly grpcReceiver?: GrpcReceiverStats;
  readonly store: SpanStoreStats;
  readonly aggregates: readonly SpanAggregate[];
  readonly selfTime: readonly SelfTimeEntry[];
}

export interface Collectors {
  readonly receiver: OtlpReceiver;
  readonly grpcReceiver: OtlpGrpcReceiver | undefined;
  readonly store: SpanStore;
  readonly registry: MetricsRegistry;
  readonly metrics: MetricsServer | undefined;
  /** Phase change for both the store (by epoch ms) and the live `codeblue_phase` gauge. */
  setPhase(name: string, atEpochMs: number): void;
  recordFault(event: FaultEvent): void;
  /** Run offset 0 (epoch ms): from then on spans feed the per-second statistics. */
  setOrigin(epochMs: number): void;
  /** The PHI findings of every span and log so far (undefined without `phi`). */
  phi(): PhiScanResult | undefined;
  /** Trace assertion results over every span so far (empty without `traceAssertions`). */
  traceAssertions(): TraceAssertionResult[];
  /** Epoch ms of the last OTLP request on either transport (undefined before the first): tells when senders went quiet. */
  lastReceivedAt(): number | undefined;
  /** Closes both servers, writes what was received to `outDir` (if any), and returns the summary. */
  close(): Promise<CollectorsSummary>;
}

export async function startCollectors(options: CollectorsOptions): Promise<Collectors> {
  const startedAt = new Date().toISOString();
  // The receivers listen before the store takes its files: a port already taken must leave a reused `--out` folder
  // (an earlier collection's span files) as it was. A request in the moment between is refused as retryable.
  let store: SpanStore | undefined;
  const storeOrRetry = (): SpanStore => {
    if (store === undefined) throw new Error('the collector is still starting; retry');
    return store;
  };
  const sink: OtlpSink = {
    addSpans: (spans) => storeOrRetry().addSpans(spans),
    addLogs: (logs) => storeOrRetry().addLogs(logs),
    addMetrics: (points) => storeOrRetry().addMetrics(points),
  };
  const registry = createMetricsRegistry({ runId: options.runId, ...(options.latencyBoundsMs ? { latencyBoundsMs: options.latencyBoundsMs } : {}) });
  const receiver = await startOtlpReceiver({
    host: options.host, port: options.port, store: sink, forwardUrl: options.forwardUrl, forwardGuard: options.forwardGuard, maxBodyBytes: options.maxBodyBytes, limits: options.limits,
    ...(options.listenSettings?.otlp ? { listenSetting: options.listenSettings.otlp } : {}),
  });
  let grpcReceiver: OtlpGrpcReceiver | undefined;
  let metrics: MetricsServer | undefined;
  try {
    grpcReceiver = options.grpcPort === undefined ? undefined : await startOtlpGrpcReceiver({
      host: options.grpcHost ?? options.host, port: options.grpcPort, store: sink, forwardUrl: options.forwardUrl, forwardGuard: options.forwardGuard,
      maxBodyBytes: options.maxBodyBytes, limits: options.limits,
      ...(options.listenSettings?.grpc ? { listenSetting: options.listenSettings.grpc } : {}),
    });
    metrics = options.metricsPort === undefined ? undefined : await startMetricsServer({ host: options.host, port: options.metricsPort, registry, ...(options.listenSettings?.metrics ? { listenSetting: options.listenSettings.metrics } : {}) });
  } catch (err) {
    await grpcReceiver?.close();
    await receiver.close();
    throw err;
  }
  const spans = createSpanStore({
    spillDir: options.outDir, maxSpansInMemory: options.maxSpansInMemory, maxBytesInMemory: options.maxBytesInMemory,
    ...(options.spans ? { spans: options.spans } : {}), ...(options.isExemplar ? { isExemplar: options.isExemplar } : {}),
  });
  const phi = options.phi ? createPhiScanner(options.phi) : undefined;
  if (phi) {
    spans.onSpan((span) => phi.addSpan(span));
    spans.onLog((log) => phi.addLog(log));
  }
  const assertions = options.traceAssertions && options.traceAssertions.length > 0 ? createTraceAssertionAccumulator(options.traceAssertions) : undefined;
  if (assertions) spans.onSpan((span, phase) => assertions.add(span, phase));
  spans.onSpan((span) => registry.recordSpan(span));
  store = spans;
  registry.onRender(() => {
    const st = spans.stats();
    const limited = noLimitCounts();
    addLimitCounts(limited, receiver.stats().limited);
    if (grpcReceiver) addLimitCounts(limited, grpcReceiver.stats().limited);
    registry.setOtlpMemory({ limited, stores: { traces: st.spans, logs: st.logs, metrics: st.metricPoints } });
  });
  let summary: Promise<CollectorsSummary> | undefined;
  return {
    receiver, grpcReceiver, store: spans, registry, metrics,
    setPhase(name, atEpochMs) {
      spans.setPhase(name, atEpochMs);
      registry.setPhase(name);
    },
    recordFault: (event) => registry.recordFault(event),
    setOrigin: (epochMs) => spans.setOrigin(epochMs),
    phi: () => phi?.result(),
    traceAssertions: () => assertions?.results() ?? [],
    lastReceivedAt() {
      const times = [receiver.lastReceivedAt(), grpcReceiver?.lastReceivedAt()].filter((t): t is number => t !== undefined);
      return times.length > 0 ? Math.max(...times) : undefined;
    },
    close: () => (summary ??= (async () => {
      await Promise.all([receiver.close(), grpcReceiver?.close()]);
      await metrics?.close();
      // Every waiting trace is judged now, so the summary counts them all.
      spans.flush();
      const result: CollectorsSummary = {
        runId: options.runId, startedAt, endedAt: new Date().toISOString(), receiver: receiver.stats(),
        ...(grpcReceiver ? { grpcReceiver: grpcReceiver.stats() } : {}), store: spans.stats(),
        aggregates: spans.aggregates(), selfTime: spans.selfTime(),
      };
      if (options.outDir) {
        writeFileSync(join(options.outDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
      }
      return result;
    })()),
  };
}
