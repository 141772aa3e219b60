/** @module core: what engines emit (request samples, fault events) and the sink they emit into. */
import type { Millis } from './units.js';

/** Where samples go; engines never know what is behind it. */
export interface Sink<T> {
  add(item: T): void;
}

/** Timing breakdown of one HTTP request, k6's `http_req_*` names, in milliseconds. */
export interface RequestTimings {
  readonly blocked: number;
  readonly connecting: number;
  readonly tlsHandshaking: number;
  readonly sending: number;
  readonly waiting: number;
  readonly receiving: number;
}

/** One finished HTTP request of a load scenario. */
export interface RequestSample {
  /** Run offset at which the request was *scheduled* to start. */
  readonly scheduledAt: Millis;
  /** Run offset at which it actually started (≥ scheduledAt under coordinated omission). */
  readonly startedAt: Millis;
  readonly scenario: string;
  /** The request's name tag (k6 `name`), e.g. `GET /fhir/Patient/{id}`. */
  readonly name: string;
  readonly method: string;
  readonly group: string;
  /** HTTP status, 0 when no response arrived. */
  readonly status: number;
  /** k6 `http_req_duration` measured from the actual start (raw). */
  readonly durationMs: number;
  /** Duration measured from the scheduled start (coordinated-omission corrected). */
  readonly correctedDurationMs: number;
  /** k6 `http_req_failed`: by default status ≥ 400 or no response. */
  readonly failed: boolean;
  /** Error code for requests without a response (`ECONNRESET`, `ETIMEDOUT`, …). */
  readonly errorCode?: string;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly timings?: RequestTimings;
  /** 32-hex trace id sent in `traceparent`. */
  readonly traceId: string;
  /** Extra user tags (k6 `tags`). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One k6 check result. */
export interface CheckSample {
  readonly at: Millis;
  readonly scenario: string;
  readonly group: string;
  readonly name: string;
  readonly ok: boolean;
}

/** A fault switched on or off (or failing to be) on the run clock. */
export interface FaultEvent {
  readonly at: Millis;
  readonly action: 'on' | 'off';
  readonly proxy: string;
  readonly toxic: string;
  readonly type: string;
  readonly outcome: 'ok' | 'error';
  readonly error?: string;
}
