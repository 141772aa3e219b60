/**
 * @module dashboards: one JSON POST to Grafana's HTTP API with a bearer token, and Grafana's error answers
 * (Grafana docs, developers/http_api: 400 bad body, 401 bad token, 403 no permission, 412 conflicts) turned
 * into CB_GRAFANA_API errors whose hint says what to change.
 */
import { CodeblueError, EXIT } from '../core/index.js';

export interface GrafanaTarget {
  /** Base URL of Grafana, e.g. `http://127.0.0.1:3000` (a sub-path such as `/grafana` is kept). */
  readonly grafanaUrl: string;
  /** Service-account token (or API key), sent as `Authorization: Bearer`. */
  readonly token: string;
  /** Request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Folder uid, named in the 403 hint. */
  readonly folderUid?: string;
}

/** POSTs `body` to `<grafanaUrl><path>`; resolves with the JSON answer of a 2xx, throws CB_GRAFANA_API otherwise. */
export async function postGrafana(target: GrafanaTarget, path: string, body: unknown): Promise<Record<string, unknown> | undefined> {
  const endpoint = apiUrl(target.grafanaUrl, path);
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.name : undefined);
    const why = err instanceof Error ? `${err.message}${code && !err.message.includes(code) ? ` (${code})` : ''}` : String(err);
    throw new CodeblueError('CB_GRAFANA_API', `cannot reach Grafana at ${endpoint}: ${why}`, {
      hint: 'check --grafana (e.g. http://127.0.0.1:3000) and that Grafana is running', cause: err,
    });
  }
  const text = await res.text();
  const json = parseJson(text);
  if (res.ok) return json;
  throw apiError(res.status, json, text, target);
}

function apiUrl(base: string, path: string): string {
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CodeblueError('CB_USAGE', `--grafana must be an http(s) URL, but is "${base}"`, { hint: 'e.g. --grafana http://127.0.0.1:3000' });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${path}`;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function apiError(status: number, json: Record<string, unknown> | undefined, text: string, target: GrafanaTarget): CodeblueError {
  const said = typeof json?.message === 'string' ? json.message : text.slice(0, 200).trim();
  const reason = typeof json?.status === 'string' ? json.status : undefined;
  const where = `Grafana ${target.grafanaUrl} answered ${status}${reason === undefined ? '' : ` ${reason}`}${said === '' ? '' : `: ${said}`}`;
  const fail = (hint: string, exitCode: 2 | 3 = EXIT.badInput): CodeblueError => new CodeblueError('CB_GRAFANA_API', where, { hint, exitCode });
  switch (status) {
    case 400: return fail('Grafana rejected the request body; regenerate the dashboard with `codeblue dashboard` and check the uid (≤ 40 chars) and title');
    case 401: return fail('the token is missing, wrong or expired: create a service-account token (Administration → Service accounts) and pass it with --token');
    case 403: return fail(`the token has no permission to save dashboards or annotations${target.folderUid === undefined ? '' : ` in folder ${target.folderUid}`}: give its service account the Editor role (or folder edit rights)`);
    case 412:
      if (reason === 'plugin-dashboard') return fail('a plugin dashboard has this uid: change the dashboard uid, or pass --overwrite to replace it');
      return fail(`a dashboard with the same ${reason === 'name-exists' ? 'title in this folder' : 'uid'} already exists (${reason ?? 'version-mismatch'}): pass --overwrite to replace it`);
    default:
      return fail(status >= 500 ? 'Grafana failed; check its logs and retry' : 'check --grafana, --token and --folder', status >= 500 ? EXIT.infrastructure : EXIT.badInput);
  }
}
