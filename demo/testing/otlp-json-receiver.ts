/** @module demo/testing: a tiny OTLP/HTTP JSON receiver that keeps every span, for asserting parent/child links. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A received span, flattened. */
export interface ReceivedSpan {
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
}

/** A running receiver. */
export interface OtlpJsonReceiver {
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  /** Resolves when `predicate` holds over the spans received so far (polls every 100 ms, up to `timeoutMs`). */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface OtlpJson {
  resourceSpans?: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans?: { spans?: { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string }[] }[] }[];
}

/** Listens on 127.0.0.1:<ephemeral>; POST /v1/traces with application/json only. */
export async function startOtlpJsonReceiver(): Promise<OtlpJsonReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('application/json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson;
      for (const rs of body.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) spans.push({ service, name: s.name, kind: s.kind, traceId: s.traceId.toLowerCase(), spanId: s.spanId.toLowerCase(), parentSpanId: (s.parentSpanId ?? '').toLowerCase() });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    async waitFor(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > until) throw new Error(`spans not as expected after ${timeoutMs}ms; got ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
