/**
 * @module reports/evaluate: the PHI scan as results.json keeps it, and its verdicts — one per group of findings
 * (rule × service × key), gating only when the plan says `compliance.onFinding: fail`.
 */
import type { PhiScanResult } from '../../collectors/index.js';
import type { PhiSection, Verdict } from '../results/types.js';

/** Groups past this many become one "… more" verdict (all are still in `phi.groups`). */
const MAX_PHI_VERDICTS = 20;

export function phiSection(p: PhiScanResult): PhiSection {
  return {
    scan: p.scan, onFinding: p.onFinding, total: p.total, allowed: p.allowed, byRule: { ...p.byRule },
    scannedSpans: p.scannedSpans, scannedLogs: p.scannedLogs, ungrouped: p.ungrouped,
    groups: p.groups.map((g) => ({ rule: g.rule, service: g.service, key: g.key, location: g.location, count: g.count, traceIds: [...g.traceIds], masked: g.masked })),
  };
}

const NAME = 'no PHI in telemetry';
const short = (traceId: string): string => traceId.slice(0, 12);

/** A passing verdict when clean, one failing verdict per group otherwise (non-gating under `warn`), none gating when off. */
export function phiVerdicts(p: PhiScanResult): Verdict[] {
  const base = { kind: 'phi' as const, phase: null, expected: '0 findings' };
  if (p.scan === 'off') {
    return [{ ...base, name: NAME, pass: true, gating: false, observed: null, message: 'not scanned: the plan sets compliance.phiScan: off' }];
  }
  const allowed = p.allowed > 0 ? ` (${p.allowed} allow-listed finding(s) ignored)` : '';
  if (p.total === 0) {
    return [{ ...base, name: NAME, pass: true, observed: 0, message: `${p.scannedSpans} spans and ${p.scannedLogs} log records scanned, nothing found${allowed}` }];
  }
  const gating = p.onFinding === 'fail';
  const warn = gating ? '' : ' · warning only (compliance.onFinding: warn)';
  const shown = p.groups.slice(0, MAX_PHI_VERDICTS);
  const out: Verdict[] = shown.map((g) => ({
    ...base, name: `${NAME}: ${g.rule} in ${g.service} ${g.key}`, pass: false, gating, observed: g.count,
    message: `${g.count} finding(s) at ${g.location}, e.g. ${g.masked}; trace ${g.traceIds.map(short).join(', ')}${g.traceIds.length < g.count ? ', …' : ''}${warn}`,
  }));
  const rest = p.groups.slice(MAX_PHI_VERDICTS).reduce((n, g) => n + g.count, 0) + p.ungrouped;
  if (rest > 0) {
    out.push({ ...base, name: `${NAME}: other groups`, pass: false, gating, observed: rest, message: `${rest} more finding(s) in ${p.groups.length - shown.length} more group(s)${p.ungrouped ? ` and ${p.ungrouped} ungrouped` : ''}; see results.json phi.groups${warn}` });
  }
  return out;
}
