/** @module scenarios/engine: W3C trace/span ids for every request, from a pooled CSPRNG buffer (one syscall per 4 KiB). */
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(4096);
/** The pool as hex, made once per refill: ids are substrings of it (no per-id native call). */
let poolHex = '';
let offset = POOL.length;

function allZero(from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (POOL[i] !== 0) return false;
  return true;
}

function hex(bytes: number): string {
  for (;;) {
    if (offset + bytes > POOL.length) {
      randomFillSync(POOL);
      poolHex = POOL.toString('hex');
      offset = 0;
    }
    const at = offset;
    offset += bytes;
    // All-zero ids are invalid in W3C trace context.
    if (!allZero(at, at + bytes)) return poolHex.slice(at * 2, (at + bytes) * 2);
  }
}

/** A fresh trace id and the sampled `traceparent` carrying it (same format as core/ids). */
export function nextTraceparent(): { traceId: string; header: string } {
  const traceId = hex(16);
  return { traceId, header: `00-${traceId}-${hex(8)}-01` };
}
