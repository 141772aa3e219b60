/**
 * @module dashboards: push a dashboard to Grafana through its HTTP API, `POST /api/dashboards/db`
 * (Grafana docs, developers/http_api/dashboard.md): bearer token, body `{dashboard, folderUid, overwrite,
 * message}`, 200 `{id, uid, url, status, version}`; 400/401/403/412 become CB_GRAFANA_API with a hint.
 */
import { CodeblueError, EXIT } from '../core/index.js';

export interface PushOptions {
  /** Base URL of Grafana, e.g. `http://127.0.0.1:3000` (a sub-path such as `/grafana` is kept). */
  readonly grafanaUrl: string;
  /** Service-account token (or API key), sent as `Authorization: Bearer`. */
  readonly token: string;
  readonly dashboard: Readonly<Record<string, unknown>>;
  readonly folderUid?: string;
  /** Replace a dashboard with the same uid or title (default false: Grafana answers 412 instead). */
  readonly overwrite?: boolean;
  /** Version-history message. */
  readonly message?: string;
  /** Request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
}

/** Grafana's answer to a successful save. */
export interface PushResult {
  readonly id: number;
  readonly uid: string;
  /** Path of the dashboard, e.g. `/d/codeblue-ehr/codeblue-ehr`. */
  readonly url: string;
  readonly status: string;
  readonly version: number;
}

/**
 * Saves the dashboard (create or update by uid).
 * @example await pushDashboard({ grafanaUrl: 'http://127.0.0.1:3000', token, dashboard, overwrite: true })
 */
export async function pushDashboard(options: PushOptions): Promise<PushResult> {
  const endpoint = apiUrl(options.grafanaUrl);
  const body = {
    dashboard: { ...options.dashboard, id: null },
    ...(options.folderUid === undefined ? {} : { folderUid: options.folderUid }),
    overwrite: options.overwrite === true,
    message: options.message ?? 'pushed by codeblue',
  };
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const code = ((err as { cause?: { code?: string } }).cause?.code) ?? (err instanceof Error ? err.name : undefined);
    const why = err instanceof Error ? `${err.message}${code && !err.message.includes(code) ? ` (${code})` : ''}` : String(err);
    throw new CodeblueError('CB_GRAFANA_API', `cannot reach Grafana at ${endpoint}: ${why}`, {
      hint: 'check --grafana (e.g. http://127.0.0.1:3000) and that Grafana is running', cause: err,
    });
  }
  const text = await res.text();
  const json = parseJson(text);
  if (res.ok) return checkResult(json, endpoint);
  throw apiError(res.status, json, text, options);
}

function apiUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new CodeblueError('CB_USAGE', `--grafana must be an http(s) URL, but is "${base}"`, { hint: 'e.g. --grafana http://127.0.0.1:3000' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CodeblueError('CB_USAGE', `--grafana must be an http(s) URL, but is "${base}"`, { hint: 'e.g. --grafana http://127.0.0.1:3000' });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/api/dashboards/db`;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function checkResult(json: Record<string, unknown> | undefined, endpoint: string): PushResult {
  if (json === undefined || typeof json.uid !== 'string' || typeof json.url !== 'string' || typeof json.id !== 'number' || typeof json.version !== 'number') {
    throw new CodeblueError('CB_GRAFANA_API', `${endpoint} answered 200 but not with {id, uid, url, status, version}`, {
      hint: 'is --grafana the Grafana base URL (not a proxy or login page)?',
    });
  }
  return { id: json.id, uid: json.uid, url: json.url, status: typeof json.status === 'string' ? json.status : 'success', version: json.version };
}

function apiError(status: number, json: Record<string, unknown> | undefined, text: string, options: PushOptions): CodeblueError {
  const said = typeof json?.message === 'string' ? json.message : text.slice(0, 200).trim();
  const reason = typeof json?.status === 'string' ? json.status : undefined;
  const where = `Grafana ${options.grafanaUrl} answered ${status}${reason === undefined ? '' : ` ${reason}`}${said === '' ? '' : `: ${said}`}`;
  const fail = (hint: string, exitCode: 2 | 3 = EXIT.badInput): CodeblueError => new CodeblueError('CB_GRAFANA_API', where, { hint, exitCode });
  switch (status) {
    case 400: return fail('Grafana rejected the dashboard JSON; regenerate it with `codeblue dashboard` and check the uid (≤ 40 chars) and title');
    case 401: return fail('the token is missing, wrong or expired: create a service-account token (Administration → Service accounts) and pass it with --token');
    case 403: return fail(`the token has no permission to save dashboards${options.folderUid === undefined ? '' : ` in folder ${options.folderUid}`}: give its service account the Editor role (or folder edit rights)`);
    case 412:
      if (reason === 'plugin-dashboard') return fail('a plugin dashboard has this uid: change the dashboard uid, or pass --overwrite to replace it');
      return fail(`a dashboard with the same ${reason === 'name-exists' ? 'title in this folder' : 'uid'} already exists (${reason ?? 'version-mismatch'}): pass --overwrite to replace it`);
    default:
      return fail(status >= 500 ? 'Grafana failed; check its logs and retry' : 'check --grafana, --token and --folder', status >= 500 ? EXIT.infrastructure : EXIT.badInput);
  }
}
