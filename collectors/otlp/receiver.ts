/** @module collectors/otlp: the OTLP/HTTP receiver — POST /v1/{traces,metrics,logs}, protobuf and JSON, gzip. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeblueError, type NetGuard } from '../../core/index.js';
import { BodyError, ByteBudget, gunzipCapped, readBody } from './body.js';
import { OtlpDecodeError } from './decode.js';
import { createForwarder, type ForwardStats } from './forward.js';
import { ingestExport, noIngestCounts, OtlpSinkError, type OtlpSink } from './ingest.js';
import type { LimitCounts, RecordLimits } from './limits.js';
import { CONTENT_TYPE, GRPC_CODE, exportResponse, statusBody } from './responses.js';
import type { OtlpEncoding, OtlpSignal } from './types.js';

export type { OtlpSink } from './ingest.js';

export interface ReceiverOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 4318 (the OTLP/HTTP port); 0 picks a free one. */
  readonly port?: number;
  /** Cap on the body, before and after gzip, in bytes. Default 16 MiB (spec recommends ≥ 64 MiB is allowed). */
  readonly maxBodyBytes?: number;
  /** Requests handled at once; more get 429 + Retry-After. Default 32. */
  readonly maxInFlight?: number;
  /** Body bytes held at once across requests; past it, 429 + Retry-After. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
  /** Seconds sent in Retry-After with 429/503. Default 1. */
  readonly retryAfterSeconds?: number;
  readonly store: OtlpSink;
  /** What is kept of each record (attribute count/length, events, links); default DEFAULT_RECORD_LIMITS. */
  readonly limits?: RecordLimits;
  /** Relay every accepted request to this OTLP/HTTP base URL too. */
  readonly forwardUrl?: string;
  /** What sets the address, named in the port-in-use hint: `--port` (default, `collect`) or a plan key. */
  readonly listenSetting?: string;
  /** The forwarder's connect-time guard (default: loopback only). */
  readonly forwardGuard?: NetGuard | undefined;
  /** Aborting closes the receiver. */
  readonly signal?: AbortSignal;
}

export interface ReceiverStats {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly accepted: Readonly<Record<OtlpSignal, number>>;
  readonly rejected: Readonly<Record<OtlpSignal, number>>;
  /** What the record limits cut from accepted records (values truncated; attributes, events, links dropped). */
  readonly limited: Readonly<LimitCounts>;
  readonly forward?: ForwardStats;
}

export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:4318` (append `/v1/traces`). */
  readonly url: string;
  readonly port: number;
  stats(): ReceiverStats;
  /** Epoch ms of the last request that arrived or finished (undefined before the first); tells when senders have gone quiet. */
  lastReceivedAt(): number | undefined;
  /** Stops accepting (new requests get 503), waits for in-flight ones and relays, then closes. */
  close(): Promise<void>;
}

interface Admitted {
  readonly signal: OtlpSignal;
  readonly encoding: OtlpEncoding;
}

interface Refusal {
  readonly status: number;
  readonly grpc: number;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

const PATHS: Readonly<Record<string, OtlpSignal>> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };

/** Starts the receiver. Throws CB_PORT_IN_USE when the port is taken. */
export async function startOtlpReceiver(options: ReceiverOptions): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const maxInFlight = options.maxInFlight ?? 32;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const forwarder = options.forwardUrl ? createForwarder(options.forwardUrl, undefined, undefined, options.forwardGuard) : undefined;
  const counts = { requests: 0, byStatus: {} as Record<string, number>, ...noIngestCounts() };
  let inFlight = 0;
  let lastReceivedAt: number | undefined;
  const budget = new ByteBudget(Math.max(options.maxBufferedBytes ?? 64 * 1024 * 1024, maxBody));
  let closing = false;

  const send = (res: ServerResponse, status: number, encoding: OtlpEncoding, body: Buffer, extra: Record<string, string> = {}): void => {
    counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
    res.writeHead(status, { 'content-type': CONTENT_TYPE[encoding], 'content-length': body.length, ...extra });
    res.end(body);
  };
  const fail = (res: ServerResponse, status: number, enc: OtlpEncoding, grpc: number, msg: string, extra?: Record<string, string>): void =>
    send(res, status, enc, statusBody(enc, grpc, msg), extra);

  /** Admits a request (its signal and encoding), or says why it is turned away before its body is read. */
  function admit(req: IncomingMessage, path: string, contentEncoding: string): Refusal | Admitted {
    const signal = PATHS[path];
    const encoding = encodingOf(req.headers['content-type']);
    const busy = { 'retry-after': retryAfter };
    if (!signal) return { status: 404, grpc: GRPC_CODE.notFound, message: `unknown path ${path}; use /v1/traces, /v1/metrics or /v1/logs`, headers: {} };
    if (req.method !== 'POST') return { status: 405, grpc: GRPC_CODE.unimplemented, message: `${req.method} not allowed`, headers: { allow: 'POST' } };
    if (!encoding) {
      const type = req.headers['content-type'] ?? '';
      return { status: 415, grpc: GRPC_CODE.invalidArgument, message: `unsupported content-type "${type}"; use application/x-protobuf or application/json`, headers: {} };
    }
    if (contentEncoding !== 'gzip' && contentEncoding !== 'identity') {
      return { status: 415, grpc: GRPC_CODE.invalidArgument, message: `unsupported content-encoding "${contentEncoding}"; use gzip`, headers: {} };
    }
    if (closing) return { status: 503, grpc: GRPC_CODE.unavailable, message: 'receiver is shutting down', headers: busy };
    if (inFlight >= maxInFlight) return { status: 429, grpc: GRPC_CODE.resourceExhausted, message: `more than ${maxInFlight} requests in flight`, headers: busy };
    return { signal, encoding };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.requests++;
    lastReceivedAt = Date.now();
    const path = (req.url ?? '/').split('?')[0] as string;
    const drop = { connection: 'close' };
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    const admitted = admit(req, path, contentEncoding);
    if ('status' in admitted) {
      // Answer before reading the body (in the request's encoding when known, else JSON); the rest is discarded.
      req.resume();
      const enc = encodingOf(req.headers['content-type']) ?? 'json';
      return fail(res, admitted.status, enc, admitted.grpc, admitted.message, { ...drop, ...admitted.headers });
    }
    const { signal, encoding } = admitted;
    inFlight++;
    let held = 0;
    try {
      const raw = await readBody(req, maxBody, budget);
      held = raw.length;
      const body = contentEncoding === 'gzip' ? await gunzipCapped(raw, maxBody) : raw;
      const { rejected, message } = ingestExport(signal, encoding, body, options.store, counts, options.limits);
      forwarder?.forward(path, raw, req.headers['content-type'] as string, contentEncoding === 'gzip' ? 'gzip' : undefined);
      send(res, 200, encoding, exportResponse(signal, encoding, rejected, message));
    } catch (err) {
      if (err instanceof BodyError) {
        if (err.failure === 'aborted') return void res.destroy();
        if (err.failure === 'tooLarge') return fail(res, 413, encoding, GRPC_CODE.resourceExhausted, err.message, drop);
        if (err.failure === 'busy') return fail(res, 429, encoding, GRPC_CODE.resourceExhausted, err.message, { ...drop, 'retry-after': retryAfter });
        return fail(res, 400, encoding, GRPC_CODE.invalidArgument, err.message);
      }
      if (err instanceof OtlpDecodeError) return fail(res, 400, encoding, GRPC_CODE.invalidArgument, err.message.slice(0, 500));
      // The sink could not take the data (e.g. the spill disk is full): retryable, not the client's fault.
      if (err instanceof OtlpSinkError) return fail(res, 503, encoding, GRPC_CODE.unavailable, err.message, { 'retry-after': retryAfter });
      throw err;
    } finally {
      inFlight--;
      budget.give(held);
      lastReceivedAt = Date.now();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, 'json', 13, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  const port = await listen(server, host, options.port ?? 4318, options.listenSetting ?? '--port');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= (async () => {
    closing = true;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await forwarder?.drain(5_000);
  })());
  options.signal?.addEventListener('abort', () => void close(), { once: true });

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats: () => ({ ...counts, byStatus: { ...counts.byStatus }, limited: { ...counts.limited }, ...(forwarder ? { forward: forwarder.stats() } : {}) }),
    lastReceivedAt: () => lastReceivedAt,
    close,
  };
}

/** `application/x-protobuf` / `application/json` (parameters such as charset ignored), else undefined. */
function encodingOf(header: string | undefined): OtlpEncoding | undefined {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new CodeblueError('CB_PORT_IN_USE', `OTLP receiver cannot listen on ${host}:${port}: address in use`, {
          hint: `change ${setting} (port 0 picks a free one), or free the port (lsof -i :${port})`, cause: err,
        }));
      } else reject(new CodeblueError('CB_INTERNAL', `OTLP receiver cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
