/** @module reports/writers: how every renderer words a fault's attribution (the top span and its share). */
import { humanDuration, ms, pct } from '../format.js';
import type { AttributionRow, FaultAttribution, FaultResilience, RunResults } from '../results/types.js';

/** "`legacy-ehr MLLP send`" — how the report names a span everywhere. */
export const spanLabel = (r: Pick<AttributionRow, 'service' | 'span'>): string => `${r.service} ${r.span}`;

/** The row that took most of the added time, when the fault added any. */
export function topContributor(a: FaultAttribution): AttributionRow | undefined {
  const top = a.rows[0];
  return top && (top.addedMsPerTrace ?? 0) > 0 && top.share !== null ? top : undefined;
}

/**
 * "`ehr-slow`: +1.8 s p95, 97 % of it in `legacy-ehr MLLP send`" — from the fault's span attribution; `latency`
 * prefixes the percentile ("ACK " when the fault's figures are HL7 messages').
 */
export function whereTheTimeWent(r: RunResults, f: FaultResilience, latency = ''): string | undefined {
  const a = r.attribution?.find((x) => x.fault === f.fault);
  const top = a && topContributor(a);
  if (!a || !top) return undefined;
  const p95 = f.p95DeltaMs === null ? `+${ms(a.addedMsPerTrace)} per request` : `${f.p95DeltaMs >= 0 ? '+' : '−'}${Math.abs(f.p95DeltaMs) >= 1000 ? humanDuration(Math.abs(f.p95DeltaMs)) : ms(Math.abs(f.p95DeltaMs))} ${latency}p95`;
  return `\`${f.fault}\`: ${p95}, ${pct(top.share ?? 0, 0)} of it in \`${spanLabel(top)}\``;
}

