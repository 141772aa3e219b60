/** @module collectors/otlp: the normalised records the receiver produces from OTLP traces, logs and metrics. */

/** An OTLP `AnyValue` as plain data; `bytesValue` becomes base64 text, int64 beyond 2^53 a decimal string. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = Readonly<Record<string, AttributeValue>>;

/** OTLP `Span.SpanKind`: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKind = 0 | 1 | 2 | 3 | 4 | 5;
/** OTLP `Status.StatusCode`: 0 unset, 1 ok, 2 error. */
export type StatusCode = 0 | 1 | 2;

export interface SpanEventRecord {
  readonly name: string;
  readonly timeUnixNano: string;
  readonly attributes: Attributes;
  /** Attributes the sender's SDK dropped plus those the receiver's limits dropped; absent when 0. */
  readonly droppedAttributesCount?: number;
}

export interface SpanLinkRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
  /** As on events. */
  readonly droppedAttributesCount?: number;
}

/** One span, ids as lower-case hex (`parentSpanId` is '' for a root span). */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  readonly kind: SpanKind;
  /** `service.name` of the resource, `unknown_service` when missing. */
  readonly service: string;
  /** Epoch nanoseconds as decimal text (exact). */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  /** Epoch milliseconds of the start (sub-microsecond precision). */
  readonly startEpochMs: number;
  /** end − start in milliseconds, never negative. */
  readonly durationMs: number;
  readonly status: { readonly code: StatusCode; readonly message: string };
  readonly attributes: Attributes;
  readonly resource: Attributes;
  readonly scope: { readonly name: string; readonly version: string };
  readonly events: readonly SpanEventRecord[];
  readonly links: readonly SpanLinkRecord[];
  /** Dropped by the sender's SDK (OTLP `dropped_*_count`) plus by the receiver's limits; absent when 0. */
  readonly droppedAttributesCount?: number;
  readonly droppedEventsCount?: number;
  readonly droppedLinksCount?: number;
}

/** One log record. */
export interface LogRecordData {
  readonly timeUnixNano: string;
  readonly epochMs: number;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly eventName: string;
  readonly body: AttributeValue;
  readonly attributes: Attributes;
  /** '' when the log is not tied to a trace. */
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly resource: Attributes;
  readonly scope: { readonly name: string; readonly version: string };
  /** Dropped by the sender's SDK plus by the receiver's limits; absent when 0. */
  readonly droppedAttributesCount?: number;
}

export type MetricPointType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/** One metric data point, flattened with its metric's name and resource. */
export interface MetricPointData {
  readonly service: string;
  readonly name: string;
  readonly unit: string;
  readonly type: MetricPointType;
  readonly attributes: Attributes;
  readonly timeUnixNano: string;
  /** Gauge and sum points. */
  readonly value?: number;
  /** Histogram, exponential histogram and summary points. */
  readonly count?: number;
  readonly sum?: number;
  readonly bucketCounts?: readonly number[];
  readonly explicitBounds?: readonly number[];
  readonly isMonotonic?: boolean;
}

export type OtlpSignal = 'traces' | 'logs' | 'metrics';
export type OtlpEncoding = 'protobuf' | 'json';

/** What one export request yielded: accepted records and the count and reasons of rejected ones. */
export interface Normalized<T> {
  readonly records: T[];
  readonly rejected: number;
  /** Distinct reasons for rejections, for the partial-success `error_message`. */
  readonly reasons: string[];
}
