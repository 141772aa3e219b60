/**
 * @module test/foreign-stack: a small FHIR-ish service written apart from demo/ — plain node:http, routes under
 * `/api/fhir`, PostgreSQL at the host/port its flags name (a codeblue proxy), spans over OTLP, `/ready` and no `/health`.
 *   node --import tsx test/foreign-stack/server.ts --listen 127.0.0.1:8090 --db 127.0.0.1:25432 --table patients_x
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { openPatientStore, type PatientStore } from './patients.js';
import { serverSpan, startTracing } from './telemetry.js';

const FHIR = 'application/fhir+json';

function send(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { 'content-type': FHIR }).end(JSON.stringify(body));
  return status;
}

const outcome = (code: string, text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] });

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text);
}

async function route(store: PatientStore, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://local');
  const byId = /^\/api\/fhir\/Patient\/([\w-]+)$/.exec(url.pathname);
  if (url.pathname === '/ready') return (await store.ready()) ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'database unreachable' });
  if (url.pathname === '/api/fhir/Patient' && req.method === 'GET') {
    const count = Math.min(Number(url.searchParams.get('_count') ?? 20) || 20, 100);
    const found = await store.search(url.searchParams.get('family') ?? undefined, url.searchParams.get('given') ?? undefined, count);
    return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource })) });
  }
  if (url.pathname === '/api/fhir/Patient' && req.method === 'POST') {
    const body = await readJson(req).catch(() => undefined);
    if (!body || typeof body !== 'object' || (body as { resourceType?: unknown }).resourceType !== 'Patient') return send(res, 400, outcome('invalid', 'expected a Patient resource'));
    const stored = await store.create(body as Record<string, unknown>);
    res.setHeader('location', `/api/fhir/Patient/${String(stored.id)}`);
    return send(res, 201, stored);
  }
  if (byId && req.method === 'GET') {
    const found = await store.read(byId[1] as string);
    return found ? send(res, 200, found) : send(res, 404, outcome('not-found', `Patient/${byId[1]} is not known`));
  }
  return send(res, 404, outcome('not-supported', `${req.method} ${url.pathname} is not a route`));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { listen: { type: 'string' }, db: { type: 'string' }, database: { type: 'string', default: 'test' }, user: { type: 'string', default: 'postgres' }, table: { type: 'string' } } });
  const [host, port] = (values.listen ?? '127.0.0.1:8090').split(':');
  const [dbHost, dbPort] = (values.db ?? '127.0.0.1:5432').split(':');
  const shutdownTracing = startTracing();
  const store = await openPatientStore({ host: dbHost as string, port: Number(dbPort), database: values.database as string, user: values.user as string, table: values.table ?? 'foreign_patients' });
  const server = createServer((req, res) => {
    const name = `${req.method} ${(req.url ?? '/').split('?')[0]?.replace(/\/Patient\/[\w-]+$/, '/Patient/{id}')}`;
    void serverSpan(name, req.headers, async (span) => {
      const status = await route(store, req, res).catch(() => send(res, 500, outcome('exception', 'internal error')));
      span.setAttributes({ 'http.request.method': req.method ?? '', 'http.response.status_code': status });
    });
  });
  server.listen(Number(port), host, () => process.stdout.write(`foreign-fhir listening on http://${host}:${port}\n`));
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    void Promise.allSettled([store.close(), shutdownTracing()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
