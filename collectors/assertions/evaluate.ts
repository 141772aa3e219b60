/** @module collectors/assertions: evaluates trace assertions over every span, per phase — as spans arrive, or over a store. */
import type { AttributeValue, SpanRecord } from '../otlp/types.js';
import type { TraceAssertion, TraceSelector } from '../schema.js';
import { LatencySketch } from '../store/latency-sketch.js';
import { compare } from '../../core/threshold.js';
import {
  parseCountExpression, parseDurationExpression, parseRateExpression, spanNamePattern, type DurationExpression,
} from './expressions.js';

export type TraceCheckKind = 'duration' | 'status' | 'attributes' | 'count' | 'errorRate';

/** One check of one assertion in one phase. `observed` is null when no span matched (the check then passes, as in k6). */
export interface TraceCheckResult {
  readonly kind: TraceCheckKind;
  readonly expression: string;
  readonly observed: number | null;
  readonly pass: boolean;
  readonly message: string;
}

export interface TraceAssertionResult {
  readonly name: string;
  readonly phase: string;
  /** Spans the selector matched in this phase. */
  readonly matched: number;
  readonly pass: boolean;
  readonly checks: readonly TraceCheckResult[];
}

/** What evaluation needs of the span store. */
export interface SpanSource {
  scanSpans(): AsyncIterable<SpanRecord>;
  phaseAt(epochMs: number): string;
}

interface PhaseState {
  matched: number;
  errors: number;
  statusMismatches: number;
  attributeMismatches: number;
  readonly sketch: LatencySketch;
}

const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
const STATUS = { unset: 0, ok: 1, error: 2 } as const;

/** Trace assertions fed one span at a time (at ingest, so tail sampling never changes a count or a percentile). */
export interface TraceAssertionAccumulator {
  add(span: SpanRecord, phase: string): void;
  results(): TraceAssertionResult[];
}

/** One result per assertion × phase: the selector's phase when it names one, else every phase any span fell in. */
export function createTraceAssertionAccumulator(assertions: readonly TraceAssertion[]): TraceAssertionAccumulator {
  const matchers = assertions.map((a) => matcherOf(a.selector));
  const states = assertions.map(() => new Map<string, PhaseState>());
  const phases = new Set<string>();
  return {
    add(span, phase) {
      phases.add(phase);
      assertions.forEach((a, i) => {
        if (!(matchers[i] as (s: SpanRecord, p: string) => boolean)(span, phase)) return;
        const byPhase = states[i] as Map<string, PhaseState>;
        let st = byPhase.get(phase);
        if (!st) byPhase.set(phase, (st = { matched: 0, errors: 0, statusMismatches: 0, attributeMismatches: 0, sketch: new LatencySketch() }));
        st.matched++;
        if (span.status.code === 2) st.errors++;
        st.sketch.add(span.durationMs);
        if (a.assert.status !== undefined && span.status.code !== STATUS[a.assert.status]) st.statusMismatches++;
        if (a.assert.attributes && !attributesMatch(span.attributes, a.assert.attributes)) st.attributeMismatches++;
      });
    },
    results() {
      const results: TraceAssertionResult[] = [];
      assertions.forEach((a, i) => {
        const wanted = a.selector.phase ? [a.selector.phase] : [...phases].sort();
        for (const phase of wanted) {
          const st = (states[i] as Map<string, PhaseState>).get(phase);
          const checks = checksOf(a, st);
          results.push({ name: a.name, phase, matched: st?.matched ?? 0, pass: checks.every((c) => c.pass), checks });
        }
      });
      return results;
    },
  };
}

/** Scans the store once (durations judged on a 1 %-accurate sketch); see `createTraceAssertionAccumulator`. */
export async function evaluateTraceAssertions(assertions: readonly TraceAssertion[], store: SpanSource): Promise<TraceAssertionResult[]> {
  const acc = createTraceAssertionAccumulator(assertions);
  for await (const span of store.scanSpans()) acc.add(span, store.phaseAt(span.startEpochMs));
  return acc.results();
}

function matcherOf(sel: TraceSelector): (span: SpanRecord, phase: string) => boolean {
  const pattern = sel.span === undefined ? undefined : spanNamePattern(sel.span);
  return (span, phase) =>
    (sel.phase === undefined || sel.phase === phase)
    && (sel.service === undefined || sel.service === span.service)
    && (sel.span === undefined || (pattern ? pattern.test(span.name) : sel.span === span.name))
    && (sel.kind === undefined || KIND[sel.kind] === span.kind)
    && (sel.status === undefined || STATUS[sel.status] === span.status.code)
    && (sel.attributes === undefined || attributesMatch(span.attributes, sel.attributes));
}

function attributesMatch(actual: Readonly<Record<string, AttributeValue>>, wanted: Readonly<Record<string, string | number | boolean>>): boolean {
  return Object.entries(wanted).every(([k, v]) => actual[k] === v);
}

function checksOf(a: TraceAssertion, st: PhaseState | undefined): TraceCheckResult[] {
  const out: TraceCheckResult[] = [];
  const matched = st?.matched ?? 0;
  const durations = a.assert.duration === undefined ? [] : Array.isArray(a.assert.duration) ? a.assert.duration : [a.assert.duration];
  for (const text of durations) out.push(durationCheck(parseDurationExpression(text) as DurationExpression, st));
  if (a.assert.status !== undefined) {
    const bad = st?.statusMismatches ?? 0;
    out.push(fraction('status', `status == ${a.assert.status}`, bad, matched, `${bad} of ${matched} span(s) had another status`));
  }
  if (a.assert.attributes) {
    const bad = st?.attributeMismatches ?? 0;
    out.push(fraction('attributes', JSON.stringify(a.assert.attributes), bad, matched, `${bad} of ${matched} span(s) had other attribute values`));
  }
  if (a.assert.count !== undefined) {
    const e = parseCountExpression(a.assert.count);
    if (e) out.push({ kind: 'count', expression: e.source, observed: matched, pass: compare(matched, e.op, e.value), message: `count=${matched}` });
  }
  if (a.assert.errorRate !== undefined) {
    const e = parseRateExpression(a.assert.errorRate);
    if (e) {
      const rate = matched === 0 ? null : (st?.errors ?? 0) / matched;
      out.push({
        kind: 'errorRate', expression: e.source, observed: rate, pass: rate === null || compare(rate, e.op, e.value),
        message: rate === null ? 'no spans matched' : `errorRate=${(rate * 100).toFixed(2)}% (${st?.errors ?? 0}/${matched})`,
      });
    }
  }
  return out;
}

function durationCheck(e: DurationExpression, st: PhaseState | undefined): TraceCheckResult {
  if (!st || st.matched === 0) return { kind: 'duration', expression: e.source, observed: null, pass: true, message: 'no spans matched' };
  const s = st.sketch;
  const observed = e.stat === 'avg' ? s.sum / s.count : e.stat === 'min' ? s.min : e.stat === 'max' ? s.max
    : s.quantile(e.stat === 'med' ? 0.5 : (e.percentile as number) / 100);
  const label = e.stat === 'p' ? `p(${e.percentile})` : e.stat;
  return { kind: 'duration', expression: e.source, observed, pass: compare(observed, e.op, e.valueMs), message: `${label}=${round(observed)}ms` };
}

function fraction(kind: TraceCheckKind, expression: string, bad: number, matched: number, message: string): TraceCheckResult {
  return matched === 0
    ? { kind, expression, observed: null, pass: true, message: 'no spans matched' }
    : { kind, expression, observed: bad, pass: bad === 0, message };
}

const round = (n: number): number => Math.round(n * 100) / 100;
