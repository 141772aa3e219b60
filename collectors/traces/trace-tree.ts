/**
 * @module collectors/traces: one trace as a waterfall — spans in tree order with depth, offset, self time and
 * the critical path (the chain of spans that, one after another, made the trace as long as it was).
 */
import { selfTimesOf } from '../store/self-time.js';

/** What a waterfall needs of a span (times in epoch ms). */
export interface TraceSpanInput {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly service: string;
  readonly name: string;
  /** OTLP SpanKind number (2 = server, 3 = client). */
  readonly kind: number;
  readonly startEpochMs: number;
  readonly durationMs: number;
  readonly isError: boolean;
}

/** One row of a waterfall. Times in ms from the trace's first span start. */
export interface WaterfallSpan {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly depth: number;
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly selfMs: number;
  readonly isError: boolean;
  /** On the critical path. */
  readonly critical: boolean;
}

export interface TraceWaterfall {
  readonly traceId: string;
  readonly startEpochMs: number;
  /** From the first span start to the last span end (ms). */
  readonly durationMs: number;
  readonly spans: readonly WaterfallSpan[];
  /** Spans left out to keep the waterfall within `maxSpans`. */
  readonly omitted: number;
}

interface Node {
  readonly span: TraceSpanInput;
  readonly start: number;
  readonly end: number;
  readonly children: Node[];
}

/**
 * Builds the waterfall. Roots are spans whose parent is not in the trace (a missing parent makes a sub-tree
 * its own root). Past `maxSpans`, the critical path is kept first, then the longest other spans.
 */
export function buildWaterfall(traceId: string, spans: readonly TraceSpanInput[], maxSpans = 200): TraceWaterfall {
  const nodes = new Map<string, Node>();
  for (const s of spans) nodes.set(s.spanId, { span: s, start: s.startEpochMs, end: s.startEpochMs + Math.max(0, s.durationMs), children: [] });
  const roots: Node[] = [];
  for (const n of nodes.values()) {
    const parent = n.span.parentSpanId === n.span.spanId ? undefined : nodes.get(n.span.parentSpanId);
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const byStart = (a: Node, b: Node): number => a.start - b.start || b.end - a.end;
  roots.sort(byStart);
  const critical = criticalPath(roots);
  const self = new Map<string, number>();
  const list = [...nodes.values()];
  selfTimesOf(list.map((n) => ({ spanId: n.span.spanId, parentSpanId: n.span.parentSpanId, start: n.start, end: n.end })))
    .forEach((ms, i) => self.set((list[i] as Node).span.spanId, ms));
  const kept = keptSpans(list, critical, maxSpans);
  const start = Math.min(...list.map((n) => n.start));
  const end = Math.max(...list.map((n) => n.end));
  const rows: WaterfallSpan[] = [];
  const visit = (n: Node, depth: number, seen: Set<Node>): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (kept.has(n.span.spanId)) {
      const s = n.span;
      rows.push({
        spanId: s.spanId, parentSpanId: s.parentSpanId, depth, service: s.service, name: s.name, kind: s.kind,
        offsetMs: n.start - start, durationMs: Math.max(0, s.durationMs), selfMs: self.get(s.spanId) ?? 0, isError: s.isError, critical: critical.has(s.spanId),
      });
    }
    for (const c of [...n.children].sort(byStart)) visit(c, depth + 1, seen);
  };
  const seen = new Set<Node>();
  for (const r of roots) visit(r, 0, seen);
  return { traceId, startEpochMs: list.length ? start : 0, durationMs: list.length ? end - start : 0, spans: rows, omitted: list.length - rows.length };
}

/**
 * Walks back from the end of the longest root: at each span, the child that ended last before the cursor is on
 * the path, then the one that ended before that child started, and so on (as Jaeger's critical path does).
 */
function criticalPath(roots: readonly Node[]): Set<string> {
  const out = new Set<string>();
  const root = [...roots].sort((a, b) => b.end - b.start - (a.end - a.start))[0];
  if (!root) return out;
  const stack: { node: Node; until: number }[] = [{ node: root, until: root.end }];
  while (stack.length) {
    const { node, until } = stack.pop() as { node: Node; until: number };
    if (out.has(node.span.spanId)) continue;
    out.add(node.span.spanId);
    let cursor = until;
    for (const c of [...node.children].sort((a, b) => b.end - a.end)) {
      if (c.start >= cursor) continue;
      stack.push({ node: c, until: Math.min(c.end, cursor) });
      cursor = c.start;
    }
  }
  return out;
}

function keptSpans(list: readonly Node[], critical: ReadonlySet<string>, maxSpans: number): Set<string> {
  if (list.length <= maxSpans) return new Set(list.map((n) => n.span.spanId));
  const kept = new Set([...critical].slice(0, maxSpans));
  for (const n of [...list].sort((a, b) => b.end - b.start - (a.end - a.start))) {
    if (kept.size >= maxSpans) break;
    kept.add(n.span.spanId);
  }
  return kept;
}
