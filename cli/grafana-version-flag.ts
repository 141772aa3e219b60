/**
 * @module cli: the --grafana-version flag. Its own file: the flag needs dashboards/, and the lean `chaos serve`
 * bundle imports cli/flag-parsers.ts, which must not pull the dashboards room in.
 */
import { InvalidArgumentError } from 'commander';
import { CodeblueError } from '../core/index.js';
import { grafanaRelease } from '../dashboards/index.js';

/** `--grafana-version 11.6.2` → `11.6` (or `latest`); below the oldest supported release is a usage error. */
export function parseGrafanaVersion(text: string): string {
  try {
    return grafanaRelease(text).version;
  } catch (err) {
    if (err instanceof CodeblueError) throw new InvalidArgumentError(`${err.message}${err.hint ? ` (${err.hint})` : ''}`);
    throw err;
  }
}

/** The help text of every --grafana-version flag. */
export const GRAFANA_VERSION_HELP = 'Grafana release the dashboard JSON is for, major.minor or latest (default: the oldest supported, 11.0)';
