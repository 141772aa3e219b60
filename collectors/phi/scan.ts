/**
 * @module collectors/phi: looks for PHI in everything the stack sent — span names, attributes, events, resources and
 * logs — one record at a time as it arrives (a run scans at ingest), or over a store afterwards.
 */
import type { AttributeValue, Attributes, LogRecordData, SpanRecord } from '../otlp/types.js';
import { createAllowList } from './allow.js';
import { createGrouper, type PhiFindingGroup } from './group.js';
import { createPhiMatcher, maskValue, type PhiMatcher, type PhiRule } from './rules.js';
import { DEFAULT_COMPLIANCE, type ComplianceSettings } from './schema.js';

export type PhiLocation = 'span.name' | 'span.attribute' | 'span.event' | 'span.status' | 'resource' | 'log.body' | 'log.attribute';

/** One leak. The value itself never appears, only `masked`. */
export interface PhiFinding {
  readonly location: PhiLocation;
  readonly traceId: string;
  readonly spanId: string;
  /** Span name (for logs: the log's event name, or ''). */
  readonly spanName: string;
  readonly service: string;
  /** Attribute key (dotted for nested values, `event:<name>.<key>` for events, `body` for log bodies). */
  readonly key: string;
  readonly rule: PhiRule;
  readonly masked: string;
}

export interface PhiScanResult {
  /** `off`: the plan turned the scan off (nothing was scanned, every count is 0). */
  readonly scan: 'on' | 'off';
  /** What a finding does to the verdict (plan `compliance.onFinding`). */
  readonly onFinding: 'fail' | 'warn';
  readonly findings: readonly PhiFinding[];
  /** Findings in total, allowed ones excluded (findings[] stops at maxFindings). */
  readonly total: number;
  /** Findings the plan's `compliance.allow` list matched: counted, never listed. */
  readonly allowed: number;
  /** Findings by rule × service × key, biggest first (at most 500 groups; the rest in `ungrouped`). */
  readonly groups: readonly PhiFindingGroup[];
  /** Findings beyond the group limit (counted in `total`, in no group). */
  readonly ungrouped: number;
  readonly byRule: Readonly<Record<PhiRule, number>>;
  readonly scannedSpans: number;
  readonly scannedLogs: number;
}

/** A PHI scan fed one record at a time — at ingest, so sampling never hides a leak; only findings are kept. */
export interface PhiScanner {
  addSpan(span: SpanRecord): void;
  addLog(log: LogRecordData): void;
  result(): PhiScanResult;
}

export interface PhiScannerOptions {
  /** The synthetic PHI the run generated (names, birth dates, identifiers). */
  readonly syntheticValues: readonly string[];
  /** Credentials of the run, found verbatim and never printed; a Set may grow while the run goes (tokens fetched later), and is looked for from then on. */
  readonly secretValues?: readonly string[] | ReadonlySet<string>;
  /** Findings kept in the result (default 1000); all are counted. */
  readonly maxFindings?: number;
  /** The plan's `compliance` slice (default: scan on, fail on a finding, allow nothing). */
  readonly compliance?: ComplianceSettings;
}

/** A scanner for records as they arrive: the collectors feed it every span and log record at ingest. */
export function createPhiScanner(options: PhiScannerOptions): PhiScanner {
  const settings = options.compliance ?? DEFAULT_COMPLIANCE;
  const byRule: Record<PhiRule, number> = { synthetic: 0, ssn: 0, mrn: 0, phone: 0, email: 0, secret: 0, bearer: 0, jwt: 0 };
  const isOff = settings.phiScan === 'off';
  const secrets = options.secretValues;
  let secretCount = secrets === undefined ? 0 : 'size' in secrets ? secrets.size : secrets.length;
  let matcher: PhiMatcher = createPhiMatcher(options.syntheticValues, secrets ? [...secrets] : []);
  const isAllowed = createAllowList(settings.allow);
  const grouper = createGrouper();
  const max = options.maxFindings ?? 1000;
  const findings: PhiFinding[] = [];
  let total = 0;
  let allowed = 0;
  let scannedSpans = 0;
  let scannedLogs = 0;
  const seenResources = new Set<string>();
  const seenResourceObjects = new WeakSet<object>();
  const report = (f: Omit<PhiFinding, 'masked'> & { value: string }): void => {
    if (isAllowed(f)) {
      allowed++;
      return;
    }
    const { value, ...rest } = f;
    const finding: PhiFinding = { ...rest, masked: maskValue(value) };
    total++;
    byRule[f.rule]++;
    grouper.add(finding);
    if (findings.length < max) findings.push(finding);
  };
  const refreshSecrets = (): void => {
    if (secrets === undefined || !('size' in secrets) || secrets.size === secretCount) return;
    secretCount = secrets.size;
    matcher = createPhiMatcher(options.syntheticValues, [...secrets]);
  };
  // A resource repeats on every span of a service: report it once per distinct resource (one batch shares the object).
  const resourceOnce = (resource: Attributes, at: { traceId: string; spanId: string; spanName: string; service: string }): void => {
    if (seenResourceObjects.has(resource)) return;
    seenResourceObjects.add(resource);
    const key = JSON.stringify(resource);
    if (seenResources.has(key) || seenResources.size >= 10_000) return;
    seenResources.add(key);
    walk(matcher, resource, '', (k, rule, value) => report({ location: 'resource', ...at, key: k, rule, value }));
  };
  return {
    addSpan(span) {
      if (isOff) return;
      refreshSecrets();
      scannedSpans++;
      const at = { traceId: span.traceId, spanId: span.spanId, spanName: span.name, service: span.service };
      check(matcher, 'name', span.name, (key, rule, value) => report({ location: 'span.name', ...at, key, rule, value }));
      check(matcher, 'status.message', span.status.message, (key, rule, value) => report({ location: 'span.status', ...at, key, rule, value }));
      walk(matcher, span.attributes, '', (key, rule, value) => report({ location: 'span.attribute', ...at, key, rule, value }));
      for (const e of span.events) {
        walk(matcher, e.attributes, `event:${e.name}.`, (key, rule, value) => report({ location: 'span.event', ...at, key, rule, value }));
      }
      resourceOnce(span.resource, at);
    },
    addLog(log) {
      if (isOff) return;
      refreshSecrets();
      scannedLogs++;
      const at = { traceId: log.traceId, spanId: log.spanId, spanName: log.eventName, service: log.service };
      resourceOnce(log.resource, at);
      visit(matcher, log.body, 'body', 0, (key, rule, value) => report({ location: 'log.body', ...at, key, rule, value }));
      walk(matcher, log.attributes, '', (key, rule, value) => report({ location: 'log.attribute', ...at, key, rule, value }));
    },
    result() {
      const counts = { ...byRule };
      if (isOff) return { scan: 'off', onFinding: settings.onFinding, findings: [], total: 0, allowed: 0, byRule: counts, groups: [], ungrouped: 0, scannedSpans: 0, scannedLogs: 0 };
      return {
        scan: 'on', onFinding: settings.onFinding, findings: [...findings], total, allowed, byRule: counts,
        groups: grouper.groups(), ungrouped: grouper.overflow(), scannedSpans, scannedLogs,
      };
    },
  };
}

/** `value` is the matched text, unmasked: the allow list sees it, the result never keeps it. */
type Report = (key: string, rule: PhiRule, value: string) => void;

function walk(matcher: PhiMatcher, attrs: Attributes, prefix: string, report: Report): void {
  for (const [k, v] of Object.entries(attrs)) visit(matcher, v, prefix + k, 0, report);
}

function visit(matcher: PhiMatcher, value: AttributeValue, key: string, depth: number, report: Report): void {
  if (typeof value === 'string') check(matcher, key, value, report);
  else if (Array.isArray(value)) value.forEach((v, i) => visit(matcher, v, `${key}[${i}]`, depth + 1, report));
  else if (value !== null && typeof value === 'object' && depth < 16) {
    for (const [k, v] of Object.entries(value)) visit(matcher, v as AttributeValue, `${key}.${k}`, depth + 1, report);
  }
}

function check(matcher: PhiMatcher, key: string, text: string, report: Report): void {
  if (text === '') return;
  const hit = matcher.match(key, text);
  if (hit) report(key, hit.rule, hit.matched);
}
