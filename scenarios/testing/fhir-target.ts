/**
 * @module scenarios/testing: a small FHIR-ish HTTP target on 127.0.0.1:0 for the engine's tests — a real server
 * answering the library flows' requests (not a mock of codeblue), plus misbehaving endpoints (slow, hanging,
 * huge, malformed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FhirTarget {
  readonly baseUrl: string;
  readonly server: Server;
  /** Requests seen, by `METHOD path-without-query`. */
  readonly hits: Map<string, number>;
  /** traceparent headers seen (last 1000). */
  readonly traceparents: string[];
  readonly resources: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startFhirTarget(opts: { slots?: number } = {}): Promise<FhirTarget> {
  const resources = new Map<string, Record<string, unknown>>();
  const hits = new Map<string, number>();
  const traceparents: string[] = [];
  const booked = new Set<string>();
  let nextId = 1;
  for (let i = 0; i < (opts.slots ?? 3); i++) resources.set(`Slot/slot-${i}`, { resourceType: 'Slot', id: `slot-${i}`, status: 'free' });
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(`${req.method} ${url.pathname}`, (hits.get(`${req.method} ${url.pathname}`) ?? 0) + 1);
    const tp = req.headers.traceparent;
    if (typeof tp === 'string') {
      traceparents.push(tp);
      if (traceparents.length > 1000) traceparents.shift();
    }
    readBody(req).then((body) => route(req, res, url, body)).catch(() => send(res, 500, { error: 'boom' }));
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const create = (type: string, doc: Record<string, unknown>): Record<string, unknown> => {
    const id = String(nextId++);
    const stored = { ...doc, id, meta: { versionId: '1' } };
    resources.set(`${type}/${id}`, stored);
    return stored;
  };
  const bundle = (entries: Record<string, unknown>[], url: URL, total: number, next?: string): Record<string, unknown> => ({
    resourceType: 'Bundle', type: 'searchset', total,
    link: [{ relation: 'self', url: url.toString() }, ...(next ? [{ relation: 'next', url: next }] : [])],
    entry: entries.map((r) => ({ resource: r })),
  });

  const route = (req: IncomingMessage, res: ServerResponse, url: URL, body: string): void => {
    const p = url.pathname;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (p === '/health') return send(res, 200, { ok: true });
    if (p === '/plain') return void res.end('ok');
    if (p === '/slow') return void setTimeout(() => send(res, 200, { slow: true }), Number(url.searchParams.get('ms') ?? 100));
    if (p === '/hang') return void hanging.add(res);
    if (p === '/huge') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (p === '/malformed') return void (res.writeHead(200, { 'content-type': 'application/json' }), res.end('{"resourceType": "Patient", "id": '));
    const status = /^\/status\/(\d{3})$/.exec(p);
    if (status) return send(res, Number(status[1]), { status: Number(status[1]) });
    if (p === '/echo') return send(res, 200, { method: req.method, query: Object.fromEntries(url.searchParams), body: body === '' ? null : JSON.parse(body), headers: req.headers });

    const m = /^\/fhir(?:\/([A-Za-z]+))?(?:\/([^/]+))?$/.exec(p);
    if (!m) return send(res, 404, { resourceType: 'OperationOutcome' });
    const [, type, id] = m;
    if (req.method === 'POST' && type === undefined) {
      const tx = JSON.parse(body) as { type?: string; entry?: { resource: Record<string, unknown> }[] };
      if (tx.type !== 'transaction') return send(res, 400, { resourceType: 'OperationOutcome' });
      const entry = (tx.entry ?? []).map((e) => {
        const created = create(String(e.resource.resourceType), e.resource);
        return { response: { status: '201 Created', location: `${created.resourceType}/${created.id}/_history/1` } };
      });
      return send(res, 200, { resourceType: 'Bundle', type: 'transaction-response', entry });
    }
    if (type === undefined) return send(res, 404, {});
    if (req.method === 'POST') {
      const doc = JSON.parse(body) as Record<string, unknown>;
      if (type === 'Appointment') {
        const slot = String(((doc.slot as { reference: string }[] | undefined)?.[0]?.reference ?? '').replace('Slot/', ''));
        if (booked.has(slot)) return send(res, 409, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict' }] });
        booked.add(slot);
        const s = resources.get(`Slot/${slot}`);
        if (s) s.status = 'busy';
      }
      const created = create(type, doc);
      return send(res, 201, created, { location: `${base}/fhir/${type}/${created.id}/_history/1` });
    }
    if (id !== undefined) {
      const found = resources.get(`${type}/${id}`);
      return found ? send(res, 200, found) : send(res, 404, { resourceType: 'OperationOutcome' });
    }
    let list = [...resources.values()].filter((r) => r.resourceType === type);
    const family = url.searchParams.get('name');
    if (family) list = list.filter((r) => JSON.stringify(r.name ?? '').includes(family));
    if (url.searchParams.get('status')) list = list.filter((r) => r.status === url.searchParams.get('status'));
    const patient = url.searchParams.get('patient');
    if (patient) list = list.filter((r) => (r.subject as { reference?: string } | undefined)?.reference === `Patient/${patient}`);
    const count = Number(url.searchParams.get('_count') ?? 10);
    const offset = Number(url.searchParams.get('_offset') ?? 0);
    const page = list.slice(offset, offset + count);
    if (url.searchParams.get('_include') === 'Observation:patient' && patient) {
      const pat = resources.get(`Patient/${patient}`);
      if (pat) page.push(pat);
    }
    const nextUrl = offset + count < list.length ? (() => { const n = new URL(`${url.pathname}${url.search}`, base); n.searchParams.set('_offset', String(offset + count)); return n.toString(); })() : undefined;
    return send(res, 200, bundle(page, new URL(`${url.pathname}${url.search}`, base), list.length, nextUrl));
  };

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    server, hits, traceparents, resources,
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
