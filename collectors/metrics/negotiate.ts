/** @module collectors/metrics: which exposition format a scraper asked for in its `Accept` header. */

interface MediaRange {
  readonly type: string;
  readonly version: string | undefined;
  readonly q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim());
    let q = 1;
    let version: string | undefined;
    for (const p of params) {
      const [k = '', v = ''] = p.split('=').map((x) => x.trim());
      if (k.toLowerCase() === 'q') q = Number.isFinite(Number(v)) ? Number(v) : 0;
      if (k.toLowerCase() === 'version') version = v;
    }
    return { type: type.toLowerCase(), version, q };
  });
}

/**
 * True when the scraper prefers OpenMetrics 1.0.0 (Prometheus sends
 * `application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,…`): it is listed with q > 0, its
 * version (when given) is 1.0.0, and no text/plain range has a higher q. Anything else gets the text format 0.0.4.
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (accept === undefined || accept === '') return false;
  const ranges = parseAccept(accept);
  const om = ranges.filter((r) => r.type === 'application/openmetrics-text' && r.q > 0 && (r.version === undefined || r.version === '1.0.0'));
  if (om.length === 0) return false;
  const best = Math.max(...om.map((r) => r.q));
  const text = Math.max(0, ...ranges.filter((r) => r.type === 'text/plain').map((r) => r.q));
  return best >= text;
}
