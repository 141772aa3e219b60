/**
 * @module collectors/otlp: the OTLP/gRPC receiver — `opentelemetry.proto.collector.{trace,logs,metrics}.v1.*Service/Export`
 * on @grpc/grpc-js, decoded, limited and stored by the same step as OTLP/HTTP (ingest.ts). gzip is grpc-js's own
 * `grpc-encoding`, capped after decompression at the same size.
 */
import {
  logVerbosity, Server, ServerCredentials, setLogVerbosity, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition,
} from '@grpc/grpc-js';
import { CodeblueError, type NetGuard } from '../../core/index.js';
import { OtlpDecodeError } from './decode.js';
import { createForwarder, type ForwardStats } from './forward.js';
import { createAdmission } from './grpc-admission.js';
import { GrpcCode, grpcFailure } from './grpc-status.js';
import { ingestExport, noIngestCounts, OtlpSinkError, type OtlpSink } from './ingest.js';
import type { LimitCounts, RecordLimits } from './limits.js';
import { exportResponse } from './responses.js';
import type { OtlpSignal } from './types.js';

export interface GrpcReceiverOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 4317 (the OTLP/gRPC port); 0 picks a free one. */
  readonly port?: number;
  /** Cap on one message, before and after gzip, in bytes; past it RESOURCE_EXHAUSTED (not retryable). Default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** Calls at once, counted from their headers; more get RESOURCE_EXHAUSTED with RetryInfo. Default 32. */
  readonly maxInFlight?: number;
  /**
   * Message bytes held at once: grpc-js buffers a whole message before the handler sees it, so this caps the calls in
   * flight at `maxBufferedBytes / maxBodyBytes` (at least 1). Default 64 MiB.
   */
  readonly maxBufferedBytes?: number;
  /** Seconds in the RetryInfo of RESOURCE_EXHAUSTED / UNAVAILABLE. Default 1. */
  readonly retryAfterSeconds?: number;
  readonly store: OtlpSink;
  readonly limits?: RecordLimits;
  /** Relay every accepted request to this OTLP/HTTP base URL too (as `application/x-protobuf`). */
  readonly forwardUrl?: string;
  readonly forwardGuard?: NetGuard | undefined;
  /** What sets the address, named in the port-in-use hint (default `--grpc-port`). */
  readonly listenSetting?: string;
  /** Aborting closes the receiver. */
  readonly signal?: AbortSignal;
}

export interface GrpcReceiverStats {
  readonly calls: number;
  /**
   * Calls by the gRPC status they were answered (`OK`, `INVALID_ARGUMENT`, …; grpc-js answers a call cancelled before
   * its message `UNIMPLEMENTED`); `transport` = ended by grpc-js itself (message over the size limit, bad gzip).
   */
  readonly byCode: Readonly<Record<string, number>>;
  readonly accepted: Readonly<Record<OtlpSignal, number>>;
  readonly rejected: Readonly<Record<OtlpSignal, number>>;
  readonly limited: Readonly<LimitCounts>;
  readonly forward?: ForwardStats;
}

export interface OtlpGrpcReceiver {
  /** `http://127.0.0.1:4317`: what OTel gRPC exporters take as `url` (plaintext). */
  readonly url: string;
  readonly port: number;
  stats(): GrpcReceiverStats;
  /** Epoch ms of the last call that arrived or finished (undefined before the first). */
  lastReceivedAt(): number | undefined;
  /** New calls get UNAVAILABLE; waits for calls in flight (at most 5 s), then closes every connection. */
  close(): Promise<void>;
}

const SERVICES: readonly { readonly signal: OtlpSignal; readonly path: string }[] = [
  { signal: 'traces', path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export' },
  { signal: 'logs', path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export' },
  { signal: 'metrics', path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export' },
];
const HTTP_PATH: Readonly<Record<OtlpSignal, string>> = { traces: '/v1/traces', logs: '/v1/logs', metrics: '/v1/metrics' };
const CLOSE_GRACE_MS = 5_000;

/** The OTLP/gRPC default port (specification.md "OTLP/gRPC Default Port"). */
export const OTLP_GRPC_PORT = 4317;

/**
 * The gRPC port that goes with an OTLP/HTTP port when none is set: 4317, or a free one when the HTTP port is 0, so
 * runs and tests that ask for free ports never collide on 4317.
 */
export const grpcPortBeside = (httpPort: number): number => (httpPort === 0 ? 0 : OTLP_GRPC_PORT);

/** Bytes in, bytes out: decoding is ingest's, so a bad message is INVALID_ARGUMENT from us, not a grpc-js INTERNAL. */
const raw = (b: Buffer): Buffer => b;

/** Starts the receiver. Throws CB_PORT_IN_USE when the port is taken. */
export async function startOtlpGrpcReceiver(options: GrpcReceiverOptions): Promise<OtlpGrpcReceiver> {
  // grpc-js prints its own errors to stderr ("E No address added…"), beside codeblue's typed ones; GRPC_VERBOSITY still turns them on.
  if (process.env.GRPC_VERBOSITY === undefined) setLogVerbosity(logVerbosity.NONE);
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const byMemory = Math.max(1, Math.floor((options.maxBufferedBytes ?? 64 * 1024 * 1024) / maxBody));
  const maxInFlight = Math.min(options.maxInFlight ?? 32, byMemory);
  const retryAfter = options.retryAfterSeconds ?? 1;
  const forwarder = options.forwardUrl ? createForwarder(options.forwardUrl, undefined, undefined, options.forwardGuard) : undefined;
  const counts = noIngestCounts();
  const admission = createAdmission(maxInFlight, retryAfter);

  const exportFor = (signal: OtlpSignal) => (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    try {
      const { rejected, message } = ingestExport(signal, 'protobuf', call.request, options.store, counts, options.limits);
      forwarder?.forward(HTTP_PATH[signal], call.request, 'application/x-protobuf', undefined);
      callback(null, exportResponse(signal, 'protobuf', rejected, message));
    } catch (err) {
      if (err instanceof OtlpDecodeError) return callback(grpcFailure(GrpcCode.INVALID_ARGUMENT, err.message.slice(0, 500)));
      if (err instanceof OtlpSinkError) return callback(grpcFailure(GrpcCode.UNAVAILABLE, err.message, retryAfter));
      callback(grpcFailure(GrpcCode.INTERNAL, `internal error: ${err instanceof Error ? err.message : String(err)}`));
    }
  };

  const server = new Server({
    interceptors: [admission.interceptor],
    'grpc.max_receive_message_length': maxBody,
  });
  for (const { signal, path } of SERVICES) {
    const definition: ServiceDefinition = {
      Export: {
        path, requestStream: false, responseStream: false,
        requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw,
      },
    };
    server.addService(definition, { Export: exportFor(signal) });
  }
  const port = await bind(server, host, options.port ?? OTLP_GRPC_PORT, options.listenSetting ?? '--grpc-port');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= (async () => {
    await admission.close(CLOSE_GRACE_MS);
    await shutdown(server, CLOSE_GRACE_MS);
    await forwarder?.drain(5_000);
  })());
  options.signal?.addEventListener('abort', () => void close(), { once: true });

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats: () => ({
      calls: admission.calls(), byCode: admission.byCode(), accepted: { ...counts.accepted }, rejected: { ...counts.rejected }, limited: { ...counts.limited },
      ...(forwarder ? { forward: forwarder.stats() } : {}),
    }),
    lastReceivedAt: admission.lastActivityAt,
    close,
  };
}

/** Ends every connection gracefully (GOAWAY, open streams finish), forcibly after `graceMs`. */
function shutdown(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), graceMs).unref();
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

function bind(server: Server, host: string, port: number, setting: string): Promise<number> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) => {
      if (!err) return resolve(bound);
      if (/EADDRINUSE|address already in use/i.test(err.message)) {
        return reject(new CodeblueError('CB_PORT_IN_USE', `OTLP/gRPC receiver cannot listen on ${host}:${port}: address in use`, {
          hint: `change ${setting} (port 0 picks a free one; ${setting.startsWith('--') ? '--no-grpc' : 'off'} turns gRPC off), or free the port (lsof -i :${port})`,
          cause: err,
        }));
      }
      reject(new CodeblueError('CB_INTERNAL', `OTLP/gRPC receiver cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    });
  });
}
