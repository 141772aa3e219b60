/**
 * @module dashboards: the Prometheus scrape-config snippet for a game day's `/metrics` endpoint. The run id is
 * not added as a target label: every series already carries `run` and `testid`, and a target label of the
 * same name would be renamed `exported_run` by Prometheus (honor_labels: false).
 */
import { CodeblueError } from '../core/index.js';

export interface ScrapeConfigOptions {
  /** `host:port` of codeblue's metrics server, e.g. `127.0.0.1:9464`. */
  readonly target: string;
  /** Names the job `codeblue-<run>` so several runs' snippets can sit side by side. */
  readonly runId?: string;
  /** Prometheus duration, default `5s` (game days are short: a 1 m default would show almost nothing). */
  readonly interval?: string;
}

const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * A `scrape_configs:` YAML block, ready to paste into prometheus.yml.
 * @example prometheusScrapeConfig({ target: '127.0.0.1:9464', runId: '20261125-ab12', interval: '1s' })
 */
export function prometheusScrapeConfig(options: ScrapeConfigOptions): string {
  const m = HOST_PORT.exec(options.target);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 65_535) {
    throw new CodeblueError('CB_USAGE', `--target must be host:port, but is "${options.target}"`, { hint: 'e.g. --target 127.0.0.1:9464 (the port of codeblue\'s /metrics server)' });
  }
  const interval = options.interval ?? '5s';
  if (!PROM_DURATION.test(interval)) {
    throw new CodeblueError('CB_USAGE', `--interval must be a Prometheus duration, but is "${interval}"`, { hint: 'e.g. 1s, 5s, 15s' });
  }
  const job = options.runId === undefined ? 'codeblue' : `codeblue-${options.runId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  return [
    `# codeblue: scrape a game day's live /metrics${options.runId === undefined ? '' : ` (run ${options.runId})`}.`,
    '# Paste under prometheus.yml, or merge the job into an existing scrape_configs list.',
    '# Series carry run="<run id>" and testid="<run id>"; the dashboards filter on them.',
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(job)}`,
    `    scrape_interval: ${interval}`,
    `    scrape_timeout: ${interval}`,
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: [${JSON.stringify(options.target)}]`,
    '',
  ].join('\n');
}
