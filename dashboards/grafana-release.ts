/**
 * @module dashboards: which Grafana the dashboard JSON is for. A Grafana refuses to load a dashboard whose
 * schemaVersion is above its own latest migration, and its panels reject options their plugin does not know,
 * so the model is written for the oldest supported release unless `--grafana-version` names a newer one.
 */
import { CodeblueError } from '../core/errors.js';

/** The oldest Grafana codeblue supports; dashboards are written for it by default. */
export const OLDEST_GRAFANA = '11.0';

/**
 * schemaVersion per release, from the dashboard kind each release ships (grafana-foundation-sdk branches
 * v11.0.x … v11.6.x). 12.0 stays at 41: schemaVersion 42 arrived after 12.0 (issue #14), so every later
 * release gets 42. A lower schemaVersion is always safe: Grafana migrates it up when it loads the dashboard.
 */
const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  '11.0': 36, '11.1': 39, '11.2': 39, '11.3': 39, '11.4': 39, '11.5': 39, '11.6': 41, '12.0': 41,
};
const AFTER_12_0 = 42;

/** A Grafana release the dashboard is written for. */
export interface GrafanaRelease {
  /** `major.minor`, e.g. `11.6`. */
  readonly version: string;
  readonly schemaVersion: number;
}

/**
 * Parses `X.Y` or `X.Y.Z` (`latest` = the newest model). Throws `CB_USAGE` below the oldest supported release.
 * @example grafanaRelease('11.6.3') // { version: '11.6', schemaVersion: 41 }
 */
export function grafanaRelease(text: string = OLDEST_GRAFANA): GrafanaRelease {
  if (text === 'latest') return { version: 'latest', schemaVersion: AFTER_12_0 };
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim().replace(/^v/, ''));
  if (m === null) throw new CodeblueError('CB_USAGE', `--grafana-version must be major.minor (e.g. 11.6), but is "${text}"`, { hint: `use the version your Grafana shows under Help › About, or latest; the oldest supported is ${OLDEST_GRAFANA}` });
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const version = `${major}.${minor}`;
  if (major < 11) throw new CodeblueError('CB_USAGE', `Grafana ${version} is older than the oldest supported release, ${OLDEST_GRAFANA}`, { hint: `upgrade Grafana to ${OLDEST_GRAFANA} or later` });
  return { version, schemaVersion: SCHEMA_VERSIONS[version] ?? AFTER_12_0 };
}

/** True when `release` is at least `major.minor` (`latest` is newer than every release). */
function isAtLeast(release: GrafanaRelease, since: string): boolean {
  if (release.version === 'latest') return true;
  const [a = 0, b = 0] = release.version.split('.').map(Number);
  const [c = 0, d = 0] = since.split('.').map(Number);
  return a !== c ? a > c : b >= d;
}

type Panel = Record<string, unknown> & { type?: string; options?: Record<string, unknown> };

/**
 * Writes `model` (built for the newest Grafana) down to `release`: its schemaVersion, and without the panel
 * options its plugins do not know yet. Returns a new object.
 */
export function forGrafana(model: Record<string, unknown>, release: GrafanaRelease): Record<string, unknown> {
  const out = structuredClone(model) as Record<string, unknown> & { panels?: Panel[] };
  out.schemaVersion = release.schemaVersion;
  for (const panel of out.panels ?? []) {
    // stat's percentChangeColorMode is in the stat schema from 11.1 on (foundation-sdk v11.1.x); 11.0 rejects it.
    if (panel.type === 'stat' && panel.options !== undefined && !isAtLeast(release, '11.1')) delete panel.options.percentChangeColorMode;
  }
  return out;
}
