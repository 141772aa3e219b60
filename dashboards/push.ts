/**
 * @module dashboards: push a dashboard to Grafana, `POST /api/dashboards/db` (Grafana docs,
 * developers/http_api/dashboard.md): body `{dashboard, folderUid, overwrite, message}`, 200
 * `{id, uid, url, status, version}`; errors via grafana-api.ts.
 */
import { CodeblueError } from '../core/index.js';
import { postGrafana, type GrafanaTarget } from './grafana-api.js';

export interface PushOptions extends GrafanaTarget {
  readonly dashboard: Readonly<Record<string, unknown>>;
  readonly folderUid?: string;
  /** Replace a dashboard with the same uid or title (default false: Grafana answers 412 instead). */
  readonly overwrite?: boolean;
  /** Version-history message. */
  readonly message?: string;
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
  const json = await postGrafana(options, '/api/dashboards/db', {
    dashboard: { ...options.dashboard, id: null },
    ...(options.folderUid === undefined ? {} : { folderUid: options.folderUid }),
    overwrite: options.overwrite === true,
    message: options.message ?? 'pushed by codeblue',
  });
  if (json === undefined || typeof json.uid !== 'string' || typeof json.url !== 'string' || typeof json.id !== 'number' || typeof json.version !== 'number') {
    throw new CodeblueError('CB_GRAFANA_API', `${options.grafanaUrl} answered 200 but not with {id, uid, url, status, version}`, {
      hint: 'is --grafana the Grafana base URL (not a proxy or login page)?',
    });
  }
  return { id: json.id, uid: json.uid, url: json.url, status: typeof json.status === 'string' ? json.status : 'success', version: json.version };
}
