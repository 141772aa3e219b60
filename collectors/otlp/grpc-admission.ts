/**
 * @module collectors/otlp: admission of OTLP/gRPC calls — counted from their headers (before grpc-js reads the
 * message), refused with UNAVAILABLE while closing and RESOURCE_EXHAUSTED past the in-flight cap (both with
 * RetryInfo), released however the call ends, with a tally of the status each call got.
 */
import { ServerInterceptingCall, type ServerInterceptor, type StatusObject } from '@grpc/grpc-js';
import { GrpcCode, grpcFailure } from './grpc-status.js';

export interface Admission {
  readonly interceptor: ServerInterceptor;
  readonly calls: () => number;
  /** Calls per status name; `transport` = ended without an answer through the handler (grpc-js's own errors). */
  readonly byCode: () => Readonly<Record<string, number>>;
  readonly lastActivityAt: () => number | undefined;
  /** From now on every new call gets UNAVAILABLE; resolves once no admitted call is left (or after `graceMs`). */
  close(graceMs: number): Promise<void>;
}

export function createAdmission(maxInFlight: number, retryAfterSeconds: number): Admission {
  let calls = 0;
  let inFlight = 0;
  let lastActivityAt: number | undefined;
  let closing = false;
  let drained: (() => void) | undefined;
  const byCode: Record<string, number> = {};
  const tally = (status: Pick<StatusObject, 'code'>): void => {
    const name = GrpcCode[status.code] ?? String(status.code);
    byCode[name] = (byCode[name] ?? 0) + 1;
  };

  const interceptor: ServerInterceptor = (_method, call) => {
    let admitted = false;
    let answered = false;
    const release = (): void => {
      if (!admitted) return;
      admitted = false;
      inFlight--;
      lastActivityAt = Date.now();
      if (!answered) byCode.transport = (byCode.transport ?? 0) + 1;
      if (inFlight === 0) drained?.();
    };
    const refuse = (status: StatusObject): void => {
      tally(status);
      call.sendStatus(status);
    };
    return new ServerInterceptingCall(call, {
      start: (next) => next({
        onReceiveMetadata(metadata, nextMetadata) {
          calls++;
          lastActivityAt = Date.now();
          if (closing) return refuse(grpcFailure(GrpcCode.UNAVAILABLE, 'receiver is shutting down', retryAfterSeconds));
          if (inFlight >= maxInFlight) {
            return refuse(grpcFailure(GrpcCode.RESOURCE_EXHAUSTED, `more than ${maxInFlight} calls in flight`, retryAfterSeconds));
          }
          admitted = true;
          inFlight++;
          nextMetadata(metadata);
        },
        onCancel: release,
      }),
      sendStatus(status, next) {
        answered = true;
        tally(status);
        next(status);
        release();
      },
    });
  };

  return {
    interceptor,
    calls: () => calls,
    byCode: () => ({ ...byCode }),
    lastActivityAt: () => lastActivityAt,
    close: (graceMs) => {
      closing = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, graceMs).unref();
      });
    },
  };
}
