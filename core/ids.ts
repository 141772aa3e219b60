/** @module core: run ids and W3C trace-context ids. */
import { randomBytes } from 'node:crypto';

/**
 * A run id: sortable UTC timestamp plus 4 random hex chars, e.g. `20261125t110722-a1b2`.
 * Safe in Toxiproxy names, file names and Prometheus label values.
 */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** 16 random bytes as 32 lowercase hex chars (never all zero). */
export function newTraceId(): string {
  return nonZeroHex(16);
}

/** 8 random bytes as 16 lowercase hex chars (never all zero). */
export function newSpanId(): string {
  return nonZeroHex(8);
}

/** A sampled W3C `traceparent` header value for a new root span. */
export function traceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

/** Extracts the trace id from a `traceparent` value, or undefined when it is malformed. */
export function traceIdOf(header: string): string | undefined {
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(header.trim());
  return m && !/^0+$/.test(m[1] as string) ? m[1] : undefined;
}

function nonZeroHex(size: number): string {
  for (;;) {
    const buf = randomBytes(size);
    if (buf.some((b) => b !== 0)) return buf.toString('hex');
  }
}
