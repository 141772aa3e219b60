/**
 * @module dashboards: the push client against a local server that checks each request the way Grafana's
 * HTTP API documents `POST /api/dashboards/db` (developers/http_api/dashboard.md) and answers like it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drillPlan } from './fixtures/drill-plan.js';
import { buildDashboard, pushDashboard } from './index.js';
import { pickPort } from '../test/support/ports.js';

interface Saved { id: number; uid: string; title: string; folderUid: string; version: number }
const saved = new Map<string, Saved>();
const requests: { path: string; auth: string | undefined; type: string | undefined; body: Record<string, unknown> }[] = [];
let server: Server;
let base: string;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Grafana's documented behaviour, reduced to what the client relies on. */
async function grafana(req: IncomingMessage): Promise<[number, object]> {
  const body = await readJson(req);
  requests.push({ path: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body });
  if (req.method !== 'POST' || !req.url?.endsWith('/api/dashboards/db')) return [404, { message: 'Not found' }];
  if (req.headers.authorization === 'Bearer viewer-token') return [403, { message: 'Access denied' }];
  if (req.headers.authorization !== 'Bearer glsa_good') return [401, { message: 'Invalid API key' }];
  if (!String(req.headers['content-type']).startsWith('application/json')) return [415, { message: 'bad content type' }];
  const d = body.dashboard as Record<string, unknown> | undefined;
  if (d === undefined || typeof d.title !== 'string' || d.title === '') return [400, { message: 'Dashboard title cannot be empty' }];
  const uid = String(d.uid);
  const folderUid = typeof body.folderUid === 'string' ? body.folderUid : '';
  const existing = saved.get(uid);
  const sameTitle = [...saved.values()].find((s) => s.title === d.title && s.folderUid === folderUid && s.uid !== uid);
  if (body.overwrite !== true && existing !== undefined) return [412, { status: 'version-mismatch', message: 'The dashboard has been changed by someone else' }];
  if (body.overwrite !== true && sameTitle !== undefined) return [412, { status: 'name-exists', message: 'A dashboard with the same name in the folder already exists' }];
  const entry = { id: existing?.id ?? saved.size + 1, uid, title: d.title, folderUid, version: (existing?.version ?? 0) + 1 };
  saved.set(uid, entry);
  return [200, { id: entry.id, uid, url: `/d/${uid}/${d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, status: 'success', version: entry.version }];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    grafana(req).then(([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      () => res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"bad json"}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  saved.clear();
  requests.length = 0;
});

const dashboard = (): Record<string, unknown> => ({ ...buildDashboard(drillPlan()), id: 17 });

describe('pushDashboard', () => {
  it('POSTs {dashboard (id null), folderUid, overwrite, message} with a bearer token and returns Grafana\'s answer', async () => {
    const result = await pushDashboard({ grafanaUrl: `${base}/`, token: 'glsa_good', dashboard: dashboard(), folderUid: 'drills' });
    expect(result).toEqual({ id: 1, uid: 'codeblue-ehr-outage-drill', url: '/d/codeblue-ehr-outage-drill/codeblue-ehr-outage-drill', status: 'success', version: 1 });
    const [req] = requests;
    expect(req).toMatchObject({ path: '/api/dashboards/db', auth: 'Bearer glsa_good', type: 'application/json' });
    expect(req?.body).toMatchObject({ folderUid: 'drills', overwrite: false, message: 'pushed by codeblue', dashboard: { id: null, uid: 'codeblue-ehr-outage-drill', schemaVersion: 36 } });
  });

  it('keeps a sub-path of the Grafana URL', async () => {
    await pushDashboard({ grafanaUrl: `${base}/grafana`, token: 'glsa_good', dashboard: dashboard() });
    expect(requests[0]?.path).toBe('/grafana/api/dashboards/db');
  });

  it('412 version-mismatch on a second push without overwrite, with a hint to use --overwrite; overwrite bumps the version', async () => {
    await pushDashboard({ grafanaUrl: base, token: 'glsa_good', dashboard: dashboard() });
    const err = await pushDashboard({ grafanaUrl: base, token: 'glsa_good', dashboard: dashboard() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_GRAFANA_API', exitCode: 2, message: expect.stringContaining('412 version-mismatch'), hint: expect.stringContaining('--overwrite') });
    const again = await pushDashboard({ grafanaUrl: base, token: 'glsa_good', dashboard: dashboard(), overwrite: true, message: 'drill 2' });
    expect(again.version).toBe(2);
    expect(requests.at(-1)?.body).toMatchObject({ overwrite: true, message: 'drill 2' });
  });

  it('412 name-exists names the title clash', async () => {
    await pushDashboard({ grafanaUrl: base, token: 'glsa_good', dashboard: dashboard() });
    const err = await pushDashboard({ grafanaUrl: base, token: 'glsa_good', dashboard: { ...dashboard(), uid: 'other' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_GRAFANA_API', message: expect.stringContaining('name-exists'), hint: expect.stringMatching(/same title.*--overwrite/) });
  });

  it('401 → bad token hint; 403 → permission hint naming the folder; 400 → regenerate hint', async () => {
    await expect(pushDashboard({ grafanaUrl: base, token: 'nope', dashboard: dashboard() }))
      .rejects.toMatchObject({ code: 'CB_GRAFANA_API', message: expect.stringContaining('401'), hint: expect.stringContaining('--token') });
    await expect(pushDashboard({ grafanaUrl: base, token: 'viewer-token', dashboard: dashboard(), folderUid: 'ops' }))
      .rejects.toMatchObject({ code: 'CB_GRAFANA_API', message: expect.stringContaining('403: Access denied'), hint: expect.stringMatching(/Editor.*|folder ops/) });
    await expect(pushDashboard({ grafanaUrl: base, token: 'glsa_good', dashboard: { uid: 'x' } }))
      .rejects.toMatchObject({ code: 'CB_GRAFANA_API', message: expect.stringContaining('400'), hint: expect.stringContaining('codeblue dashboard') });
  });

  it('an unreachable Grafana or a non-http URL is a clear error, not a crash', async () => {
    const port = await pickPort(); // nothing listens there
    await expect(pushDashboard({ grafanaUrl: `http://127.0.0.1:${port}`, token: 't', dashboard: dashboard() }))
      .rejects.toMatchObject({ code: 'CB_GRAFANA_API', exitCode: 3, hint: expect.stringContaining('Grafana is running') });
    await expect(pushDashboard({ grafanaUrl: 'ftp://x', token: 't', dashboard: dashboard() })).rejects.toMatchObject({ code: 'CB_USAGE' });
  });
});
