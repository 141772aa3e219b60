/** @module demo/fhir-api: any thrown error → status + OperationOutcome (dependency failures are 503, not 500). */
import { FhirError, operationOutcome } from './outcome.js';
import type { Reply } from './resource-service.js';

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P03', '53300', '08006', '08001', '08003']);

/** True for errors of the database or network link rather than of the request. */
function isTransient(err: Error & { code?: string }): boolean {
  if (err.code && TRANSIENT_CODES.has(err.code)) return true;
  return /timeout|timed out|Connection terminated|not queryable|ECONNREFUSED|connect/i.test(err.message);
}

/** Maps an error to the reply; unexpected ones are logged and become 500. */
export function errorToReply(err: unknown): Reply {
  if (err instanceof FhirError) return { status: err.status, body: operationOutcome(err.issues) };
  const e = err as Error & { code?: string };
  if (e.code === '23505') return { status: 409, body: operationOutcome([{ severity: 'error', code: 'conflict', diagnostics: `conflicting concurrent write: ${e.message}` }]) };
  if (isTransient(e)) {
    return { status: 503, body: operationOutcome([{ severity: 'error', code: 'transient', diagnostics: `a dependency is unavailable: ${e.message}` }]), headers: { 'retry-after': '1' } };
  }
  process.stderr.write(`fhir-api: unexpected error: ${e.stack ?? String(err)}\n`);
  return { status: 500, body: operationOutcome([{ severity: 'fatal', code: 'exception', diagnostics: 'internal error' }]) };
}
