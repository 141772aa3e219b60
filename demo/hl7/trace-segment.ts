/** @module demo/hl7: W3C trace context carried across MLLP in a custom ZTP segment (`ZTP|traceparent|tracestate`). */
import { context, propagation, type Context } from '@opentelemetry/api';
import type { Hl7Message } from './message.js';

/** A ZTP segment holding the active context's traceparent, or null when there is no active trace. */
export function traceSegment(ctx: Context = context.active()): string[] | null {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (!carrier.traceparent) return null;
  return ['ZTP', carrier.traceparent, carrier.tracestate ?? ''];
}

/** The context a received message was sent from (ROOT when it carries no ZTP segment). */
export function extractTraceContext(msg: Hl7Message): Context {
  const ztp = msg.segments.find((s) => s[0] === 'ZTP');
  const carrier: Record<string, string> = {};
  if (ztp?.[1]) carrier.traceparent = ztp[1];
  if (ztp?.[2]) carrier.tracestate = ztp[2];
  return propagation.extract(context.active(), carrier);
}
