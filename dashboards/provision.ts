/**
 * @module dashboards: Grafana file provisioning — a dashboard provider, a Prometheus datasource and the
 * dashboard JSON files, laid out to mount into a Grafana container (see README for the docker command).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CodeblueError } from '../core/index.js';

/** Where the dashboards folder is mounted inside the Grafana container. */
export const CONTAINER_DASHBOARDS_PATH = '/var/lib/grafana/dashboards/codeblue';
/** The uid of the provisioned Prometheus datasource. */
export const PROVISIONED_DATASOURCE_UID = 'codeblue-prometheus';

export interface ProvisioningOptions {
  /** URL Grafana reaches Prometheus at, e.g. `http://127.0.0.1:9090`. */
  readonly prometheusUrl: string;
  /** Dashboards to write, each needs a `uid` (the file is `<uid>.json`). */
  readonly dashboards: readonly Record<string, unknown>[];
  /** Prometheus scrape interval, for Grafana's `$__rate_interval` (default `5s`). */
  readonly scrapeInterval?: string;
  /** Grafana folder the dashboards land in (default `codeblue`). */
  readonly folder?: string;
}

/** Paths written, absolute. */
export interface ProvisioningFiles {
  readonly dashboardProvider: string;
  readonly datasource: string;
  readonly dashboards: readonly string[];
}

/**
 * Writes `<dir>/provisioning/dashboards/codeblue.yaml`, `<dir>/provisioning/datasources/codeblue.yaml`
 * and `<dir>/dashboards/<uid>.json`.
 */
export async function writeProvisioning(dir: string, options: ProvisioningOptions): Promise<ProvisioningFiles> {
  checkUrl(options.prometheusUrl);
  const root = resolve(dir);
  const provisioning = join(root, 'provisioning');
  await mkdir(join(provisioning, 'dashboards'), { recursive: true });
  await mkdir(join(provisioning, 'datasources'), { recursive: true });
  await mkdir(join(root, 'dashboards'), { recursive: true });

  const provider = {
    apiVersion: 1,
    providers: [{
      name: 'codeblue', orgId: 1, folder: options.folder ?? 'codeblue', type: 'file', disableDeletion: false,
      updateIntervalSeconds: 10, allowUiUpdates: false, options: { path: CONTAINER_DASHBOARDS_PATH },
    }],
  };
  const datasource = {
    apiVersion: 1,
    datasources: [{
      name: 'Prometheus (codeblue)', uid: PROVISIONED_DATASOURCE_UID, type: 'prometheus', access: 'proxy',
      url: options.prometheusUrl, isDefault: true, editable: true,
      jsonData: { timeInterval: options.scrapeInterval ?? '5s', httpMethod: 'POST' },
    }],
  };
  const providerFile = join(provisioning, 'dashboards', 'codeblue.yaml');
  const datasourceFile = join(provisioning, 'datasources', 'codeblue.yaml');
  await writeFile(providerFile, `# codeblue dashboards (file provider)\n${stringify(provider)}`);
  await writeFile(datasourceFile, `# codeblue's Prometheus\n${stringify(datasource)}`);

  const seen = new Set<string>();
  const files: string[] = [];
  for (const d of options.dashboards) {
    const uid = d.uid;
    if (typeof uid !== 'string' || !/^[A-Za-z0-9._-]{1,40}$/.test(uid) || seen.has(uid)) {
      throw new CodeblueError('CB_USAGE', `dashboard uid ${JSON.stringify(uid)} is missing, invalid or repeated`, { hint: 'each dashboard needs its own uid of 1-40 letters, digits, ".", "_" or "-"' });
    }
    seen.add(uid);
    const file = join(root, 'dashboards', `${uid}.json`);
    await writeFile(file, `${JSON.stringify(d, null, 2)}\n`);
    files.push(file);
  }
  return { dashboardProvider: providerFile, datasource: datasourceFile, dashboards: files };
}

function checkUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new CodeblueError('CB_USAGE', `--prometheus-url must be an http(s) URL, but is "${url}"`, { hint: 'e.g. --prometheus-url http://127.0.0.1:9090' });
  }
}
