/** @module collectors/phi: looks for PHI in everything the stack sent: span attributes, events, resources and logs. */
import type { AttributeValue, Attributes, LogRecordData, SpanRecord } from '../otlp/types.js';
import { createPhiMatcher, maskValue, type PhiMatcher, type PhiRule } from './rules.js';

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
  readonly findings: readonly PhiFinding[];
  /** Findings in total (findings[] stops at maxFindings). */
  readonly total: number;
  readonly byRule: Readonly<Record<PhiRule, number>>;
  readonly scannedSpans: number;
  readonly scannedLogs: number;
}

export interface PhiScanOptions {
  /** The synthetic PHI the run generated (names, birth dates, identifiers). */
  readonly syntheticValues: readonly string[];
  readonly store: { scanSpans(): AsyncIterable<SpanRecord>; scanLogs(): AsyncIterable<LogRecordData> };
  /** Findings kept in the result (default 1000); all are counted. */
  readonly maxFindings?: number;
}

/** Scans every stored span and log record once. */
export async function scanForPhi(options: PhiScanOptions): Promise<PhiScanResult> {
  const matcher = createPhiMatcher(options.syntheticValues);
  const max = options.maxFindings ?? 1000;
  const findings: PhiFinding[] = [];
  const byRule: Record<PhiRule, number> = { synthetic: 0, ssn: 0, mrn: 0, phone: 0, email: 0 };
  let total = 0;
  let scannedSpans = 0;
  let scannedLogs = 0;
  const seenResources = new Set<string>();
  const report = (f: PhiFinding): void => {
    total++;
    byRule[f.rule]++;
    if (findings.length < max) findings.push(f);
  };
  for await (const span of options.store.scanSpans()) {
    scannedSpans++;
    const at = { traceId: span.traceId, spanId: span.spanId, spanName: span.name, service: span.service };
    check(matcher, 'name', span.name, (key, rule, masked) => report({ location: 'span.name', ...at, key, rule, masked }));
    check(matcher, 'status.message', span.status.message, (key, rule, masked) => report({ location: 'span.status', ...at, key, rule, masked }));
    walk(matcher, span.attributes, '', (key, rule, masked) => report({ location: 'span.attribute', ...at, key, rule, masked }));
    for (const e of span.events) {
      walk(matcher, e.attributes, `event:${e.name}.`, (key, rule, masked) => report({ location: 'span.event', ...at, key, rule, masked }));
    }
    // A resource repeats on every span of a service: report it once per distinct resource.
    const resourceKey = JSON.stringify(span.resource);
    if (!seenResources.has(resourceKey) && seenResources.size < 10_000) {
      seenResources.add(resourceKey);
      walk(matcher, span.resource, '', (key, rule, masked) => report({ location: 'resource', ...at, key, rule, masked }));
    }
  }
  for await (const log of options.store.scanLogs()) {
    scannedLogs++;
    const at = { traceId: log.traceId, spanId: log.spanId, spanName: log.eventName, service: log.service };
    const resourceKey = JSON.stringify(log.resource);
    if (!seenResources.has(resourceKey) && seenResources.size < 10_000) {
      seenResources.add(resourceKey);
      walk(matcher, log.resource, '', (key, rule, masked) => report({ location: 'resource', ...at, key, rule, masked }));
    }
    visit(matcher, log.body, 'body', 0, (key, rule, masked) => report({ location: 'log.body', ...at, key, rule, masked }));
    walk(matcher, log.attributes, '', (key, rule, masked) => report({ location: 'log.attribute', ...at, key, rule, masked }));
  }
  return { findings, total, byRule, scannedSpans, scannedLogs };
}

type Report = (key: string, rule: PhiRule, masked: string) => void;

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
  if (hit) report(key, hit.rule, maskValue(hit.matched));
}
