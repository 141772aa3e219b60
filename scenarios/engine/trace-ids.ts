/** @module scenarios/engine: W3C trace/span ids for every request, from a pooled CSPRNG buffer (one syscall per 4 KiB). */
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(4096);
let offset = POOL.length;

function hex(bytes: number): string {
  for (;;) {
    if (offset + bytes > POOL.length) {
      randomFillSync(POOL);
      offset = 0;
    }
    const s = POOL.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (!/^0+$/.test(s)) return s; // all-zero ids are invalid in W3C trace context
  }
}

/** A fresh trace id and the sampled `traceparent` carrying it (same format as core/ids). */
export function nextTraceparent(): { traceId: string; header: string } {
  const traceId = hex(16);
  return { traceId, header: `00-${traceId}-${hex(8)}-01` };
}
