/**
 * @module demo: keeps patient identifiers out of telemetry — search parameters such as `name=` and `identifier=`
 * end up in `url.query` / `url.full` span attributes, which is a PHI leak into the tracing backend. The hardened
 * preset masks them before export; the fragile preset does not (a compliance drill finds it).
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** FHIR search parameters that carry patient data. */
const PHI_SEARCH_PARAMS = ['name', 'family', 'given', 'identifier', 'birthdate', 'telecom', 'phone', 'email', 'address'] as const;
const URL_ATTRIBUTES = ['url.query', 'url.full', 'http.target', 'http.url'] as const;

/** Masks the values of PHI search parameters in a query string or URL, keeping everything else. */
export function redactQuery(text: string): string {
  return text.replace(/([?&]|^)([^=&#?]+)=([^&#]*)/g, (whole, sep: string, key: string) => {
    const bare = decodeURIComponent(key).split(':')[0]?.toLowerCase() ?? '';
    return (PHI_SEARCH_PARAMS as readonly string[]).includes(bare) ? `${sep}${key}=REDACTED` : whole;
  });
}

/** Wraps a processor: spans are redacted when they end, before the wrapped processor exports them. */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly inner: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const attributes = span.attributes as Record<string, unknown>;
    for (const key of URL_ATTRIBUTES) {
      const value = attributes[key];
      if (typeof value === 'string') attributes[key] = redactQuery(value);
    }
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
