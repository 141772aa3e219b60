/**
 * @module collectors/otlp: OTLP/gRPC failure statuses — a gRPC code, a message for the sender's developers, and, when
 * the sender may retry, `google.rpc.RetryInfo` in the `grpc-status-details-bin` trailer (specification.md "Failures":
 * RESOURCE_EXHAUSTED is retryable only with RetryInfo).
 */
import { Metadata, status as GrpcCode, type StatusObject } from '@grpc/grpc-js';
import { otlpTypes } from './proto-root.js';

export { GrpcCode };

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';
/** The trailer gRPC libraries read a `google.rpc.Status` with details from. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** A status for a failed call; with `retryAfterSeconds`, it carries RetryInfo so the sender waits that long and retries. */
export function grpcFailure(code: GrpcCode, message: string, retryAfterSeconds?: number): StatusObject {
  const metadata = new Metadata();
  if (retryAfterSeconds !== undefined) {
    const t = otlpTypes();
    const retryInfo = t.retryInfo.encode({ retryDelay: { seconds: retryAfterSeconds, nanos: 0 } }).finish();
    const details = t.status.encode({ code, message, details: [{ type_url: RETRY_INFO_TYPE_URL, value: retryInfo }] }).finish();
    metadata.set(STATUS_DETAILS_KEY, Buffer.from(details));
  }
  return { code, details: message, metadata };
}
