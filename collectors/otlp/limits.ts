/**
 * @module collectors/otlp: what the receiver keeps of each record — the OpenTelemetry SDK's attribute
 * limits (trace/sdk.md "Span Limits", common "Attribute Limits"), applied on arrival, with counts of what
 * was cut. The SDK has no default value-length limit; a receiver holding a whole run in memory needs one.
 */
import { intern } from './intern.js';

export interface RecordLimits {
  /** Longest string kept (attribute values, each string in an array, log bodies), in UTF-16 units. */
  readonly attributeValueLengthLimit: number;
  /** Attributes kept per span, log record, metric point and resource (SDK default 128). */
  readonly attributeCountLimit: number;
  /** Events kept per span (SDK default 128). */
  readonly eventCountLimit: number;
  /** Links kept per span (SDK default 128). */
  readonly linkCountLimit: number;
  /** Attributes kept per span event (SDK default 128). */
  readonly eventAttributeCountLimit: number;
  /** Attributes kept per span link (SDK default 128). */
  readonly linkAttributeCountLimit: number;
}

/** The SDK's defaults, plus a value-length limit of 4096 (the SDK's own is unlimited). */
export const DEFAULT_RECORD_LIMITS: RecordLimits = Object.freeze({
  attributeValueLengthLimit: 4096,
  attributeCountLimit: 128,
  eventCountLimit: 128,
  linkCountLimit: 128,
  eventAttributeCountLimit: 128,
  linkAttributeCountLimit: 128,
});

/** What the limits cut from one request (added into the receiver's totals). */
export interface LimitCounts {
  truncatedValues: number;
  droppedAttributes: number;
  droppedEvents: number;
  droppedLinks: number;
}

export const noLimitCounts = (): LimitCounts => ({ truncatedValues: 0, droppedAttributes: 0, droppedEvents: 0, droppedLinks: 0 });

/** The limits of one request and the tally of what they cut. */
export class Limiter {
  readonly counts: LimitCounts = noLimitCounts();
  constructor(readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS) {}

  /**
   * `s` cut to the length limit, one shared copy when short (intern.ts). The cut is copied into a fresh string: a V8
   * substring can keep its whole parent alive, which would hold every byte the limit is meant to drop.
   */
  cut(s: string): string {
    const limit = this.limits.attributeValueLengthLimit;
    if (s.length <= limit) return intern(s);
    this.counts.truncatedValues++;
    return Buffer.from(s.slice(0, limit), 'utf8').toString('utf8');
  }
}

/** Adds `from` into `into`. */
export function addLimitCounts(into: LimitCounts, from: Readonly<LimitCounts>): void {
  into.truncatedValues += from.truncatedValues;
  into.droppedAttributes += from.droppedAttributes;
  into.droppedEvents += from.droppedEvents;
  into.droppedLinks += from.droppedLinks;
}
