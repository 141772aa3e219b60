/** @module demo: PHI search values are masked in span attributes before export (hardened preset). */
import { describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RedactingSpanProcessor, redactQuery } from './redact-spans.js';

describe('redactQuery', () => {
  it('masks patient search values and keeps the rest', () => {
    expect(redactQuery('name=Ada-Synth&_count=20')).toBe('name=REDACTED&_count=20');
    expect(redactQuery('http://127.0.0.1:8080/fhir/Patient?identifier=urn%3Acodeblue%7CCB-SYN-1&_include=x')).toBe('http://127.0.0.1:8080/fhir/Patient?identifier=REDACTED&_include=x');
    expect(redactQuery('family:exact=Roe&birthdate=1980-01-01&code=8867-4')).toBe('family:exact=REDACTED&birthdate=REDACTED&code=8867-4');
    expect(redactQuery('/fhir/Observation?patient=123')).toBe('/fhir/Observation?patient=123');
  });
});

describe('RedactingSpanProcessor', () => {
  it('redacts url attributes of ended spans before they reach the exporter', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new RedactingSpanProcessor(new SimpleSpanProcessor(exporter))] });
    const span = provider.getTracer('t').startSpan('GET');
    span.setAttributes({ 'url.query': 'name=Ada-Synth', 'url.full': 'http://h/fhir/Patient?name=Ada-Synth', 'http.route': '/fhir/Patient' });
    span.end();
    await provider.forceFlush();
    const [exported] = exporter.getFinishedSpans();
    expect(exported?.attributes).toMatchObject({ 'url.query': 'name=REDACTED', 'url.full': 'http://h/fhir/Patient?name=REDACTED', 'http.route': '/fhir/Patient' });
    await provider.shutdown();
  });
});
