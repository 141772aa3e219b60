/**
 * @module cli: `codeblue dashboard` — a Grafana dashboard from a plan, provisioning files, push to Grafana,
 * and the Prometheus scrape config for a run.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CodeblueError, EXIT } from '../../core/index.js';
import {
  buildDashboard, OLDEST_GRAFANA, journalAnnotationRequests, parseJournal, prometheusScrapeConfig, pushAnnotations, pushDashboard, writeProvisioning,
} from '../../dashboards/index.js';
import { loadPlan } from '../../plan/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { GRAFANA_VERSION_HELP, parseGrafanaVersion } from '../grafana-version-flag.js';
import { isRunFolder, metricsTargetOfRun } from './run-metrics-target.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface PushFlags {
  readonly grafana: string;
  readonly token?: string;
  readonly folder?: string;
  readonly overwrite?: boolean;
  readonly message?: string;
  readonly datasource?: string;
  readonly journal?: string;
  readonly run?: string;
  readonly grafanaVersion?: string;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CodeblueError('CB_USAGE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { hint: 'check the path', cause: err });
  }
}

/** A dashboard from a `.json` file (as written by `codeblue dashboard`), or built from a plan file. */
async function loadDashboard(file: string, datasource?: string, grafanaVersion?: string): Promise<Record<string, unknown>> {
  if (!file.endsWith('.json')) return buildDashboard(await loadPlan(file), { ...(datasource === undefined ? {} : { datasource }), ...(grafanaVersion === undefined ? {} : { grafanaVersion }) });
  const text = await readText(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CodeblueError('CB_USAGE', `${file} is not JSON: ${(err as Error).message}`, { hint: 'regenerate it with `codeblue dashboard <plan> -o dashboard.json`', cause: err });
  }
  const d = parsed as Record<string, unknown>;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || typeof d.uid !== 'string' || typeof d.title !== 'string' || !Array.isArray(d.panels)) {
    throw new CodeblueError('CB_USAGE', `${file} is not a Grafana dashboard (needs uid, title and panels)`, { hint: 'regenerate it with `codeblue dashboard <plan> -o dashboard.json`' });
  }
  return d;
}

/** The default subcommand, so `codeblue dashboard <plan>` works and its flags never shadow a subcommand's. */
function registerBuild(cmd: Command, ctx: CliContext): void {
  cmd
    .command('build', { isDefault: true })
    .description('write the dashboard JSON for a plan (the default: `codeblue dashboard <plan>`)')
    .argument('[plan]', 'plan file (codeblue.yaml)')
    .option('-o, --output <file>', 'write the dashboard JSON here (default: stdout)')
    .option('--datasource <name>', 'name or uid of the Grafana Prometheus datasource selected by default')
    .option('--run <id>', 'run id selected in the "run" variable')
    .option('--grafana-version <x.y>', GRAFANA_VERSION_HELP, parseGrafanaVersion)
    .action(async (file: string | undefined, opts: { output?: string; datasource?: string; run?: string; grafanaVersion?: string }) => {
      if (file === undefined) throw new CodeblueError('CB_USAGE', 'missing the plan file', { hint: 'codeblue dashboard codeblue.yaml -o dashboard.json (or a subcommand: provision, push, prometheus-config)' });
      const plan = await loadPlan(file);
      const dashboard = buildDashboard(plan, { ...(opts.datasource === undefined ? {} : { datasource: opts.datasource }), ...(opts.run === undefined ? {} : { runId: opts.run }), ...(opts.grafanaVersion === undefined ? {} : { grafanaVersion: opts.grafanaVersion }) });
      const json = `${JSON.stringify(dashboard, null, 2)}\n`;
      const out = ctx.output();
      if (opts.output === undefined) out.raw(json);
      else {
        await mkdir(dirname(resolve(opts.output)), { recursive: true });
        await writeFile(opts.output, json);
        const panels = (dashboard.panels as unknown[]).length;
        out.out(out.json ? JSON.stringify({ written: resolve(opts.output), uid: dashboard.uid, panels }) : `wrote ${opts.output} (uid ${String(dashboard.uid)}, ${panels} panels)`);
      }
      ctx.setExitCode(EXIT.ok);
    });
}

/** The Grafana image the dashboards were written for (`11.6` → `11.6.0`). */
function grafanaImageTag(version: string | undefined): string {
  const v = version ?? OLDEST_GRAFANA;
  return v === 'latest' ? 'latest' : `${v}.0`;
}

function registerProvision(cmd: Command, ctx: CliContext): void {
  cmd
    .command('provision')
    .description('write Grafana provisioning (dashboard provider, Prometheus datasource) and dashboards into a folder')
    .argument('<dir>', 'output folder (mount dir/provisioning and dir/dashboards into Grafana; see dashboards/README.md)')
    .requiredOption('--prometheus-url <url>', 'URL Grafana reaches Prometheus at, e.g. http://127.0.0.1:9090')
    .option('--plan <file>', 'plan to build a dashboard from (repeatable; default ./codeblue.yaml)', collect)
    .option('--dashboard <file>', 'dashboard JSON to include (repeatable)', collect)
    .option('--scrape-interval <duration>', "Prometheus' scrape interval, for $__rate_interval", '5s')
    .option('--datasource <name>', 'datasource name preselected in the dashboards')
    .option('--grafana-version <x.y>', `${GRAFANA_VERSION_HELP}; --dashboard files are copied as they are`, parseGrafanaVersion)
    .action(async (dir: string, opts: { prometheusUrl: string; plan?: string[]; dashboard?: string[]; scrapeInterval: string; datasource?: string; grafanaVersion?: string }) => {
      const plans = opts.plan ?? (opts.dashboard === undefined && existsSync('codeblue.yaml') ? ['codeblue.yaml'] : []);
      if (plans.length === 0 && opts.dashboard === undefined) {
        throw new CodeblueError('CB_USAGE', 'no dashboards to provision', { hint: 'pass --plan codeblue.yaml and/or --dashboard dashboard.json' });
      }
      const dashboards = [
        ...(await Promise.all(plans.map((p) => loadDashboard(p, opts.datasource, opts.grafanaVersion)))),
        ...(await Promise.all((opts.dashboard ?? []).map((f) => loadDashboard(f)))),
      ];
      const files = await writeProvisioning(dir, { prometheusUrl: opts.prometheusUrl, dashboards, scrapeInterval: opts.scrapeInterval });
      const out = ctx.output();
      if (out.json) out.out(JSON.stringify({ written: files }));
      else {
        out.out(`wrote ${files.dashboardProvider}\nwrote ${files.datasource}`);
        for (const f of files.dashboards) out.out(`wrote ${f}`);
        const abs = resolve(dir);
        out.out(`run: docker run --rm --network host -v ${abs}/provisioning:/etc/grafana/provisioning -v ${abs}/dashboards:/var/lib/grafana/dashboards/codeblue grafana/grafana:${grafanaImageTag(opts.grafanaVersion)}`);
      }
      ctx.setExitCode(EXIT.ok);
    });
}

function registerPush(cmd: Command, ctx: CliContext): void {
  cmd
    .command('push')
    .description('save a dashboard in Grafana through POST /api/dashboards/db')
    .argument('<source>', 'dashboard JSON (from `codeblue dashboard`) or a plan file')
    .requiredOption('--grafana <url>', 'Grafana base URL, e.g. http://127.0.0.1:3000')
    .option('--token <token>', 'service-account token (default: $GRAFANA_TOKEN)')
    .option('--folder <uid>', 'folder uid to save into')
    .option('--overwrite', 'replace a dashboard with the same uid or title')
    .option('--message <text>', 'version-history message')
    .option('--datasource <name>', 'datasource name preselected when building from a plan')
    .option('--journal <file>', "also post the run's fault windows and phases (journal.ndjson) as annotations on the dashboard")
    .option('--run <id>', 'run id tagged on those annotations (default: from a run dashboard uid cb-run-<id>)')
    .option('--grafana-version <x.y>', `${GRAFANA_VERSION_HELP}; when building from a plan`, parseGrafanaVersion)
    .action(async (source: string, opts: PushFlags) => {
      const token = opts.token ?? ctx.terminal.env.GRAFANA_TOKEN;
      if (token === undefined || token === '') throw new CodeblueError('CB_USAGE', 'no Grafana token', { hint: 'pass --token, or set GRAFANA_TOKEN (a service-account token with the Editor role)' });
      const dashboard = await loadDashboard(source, opts.datasource, opts.grafanaVersion);
      const result = await pushDashboard({
        grafanaUrl: opts.grafana, token, dashboard, overwrite: opts.overwrite === true,
        ...(opts.folder === undefined ? {} : { folderUid: opts.folder }), ...(opts.message === undefined ? {} : { message: opts.message }),
      });
      const out = ctx.output();
      out.out(out.json ? JSON.stringify({ pushed: result }) : `pushed ${result.uid} version ${result.version} → ${opts.grafana.replace(/\/+$/, '')}${result.url}`);
      if (opts.journal !== undefined) {
        const journal = parseJournal(await readText(opts.journal), opts.journal);
        const runId = opts.run ?? (result.uid.startsWith('cb-run-') ? result.uid.slice('cb-run-'.length) : undefined);
        const annotations = journalAnnotationRequests(journal, { dashboardUid: result.uid, ...(runId === undefined ? {} : { runId }) });
        const ids = await pushAnnotations({ grafanaUrl: opts.grafana, token, annotations });
        out.out(out.json ? JSON.stringify({ annotations: ids }) : `annotated ${ids.length} fault window(s) and phase(s) from ${opts.journal}`);
      }
      ctx.setExitCode(EXIT.ok);
    });
}

function registerPrometheusConfig(cmd: Command, ctx: CliContext): void {
  cmd
    .command('prometheus-config')
    .description("print a Prometheus scrape config for codeblue's /metrics")
    .option('--target <host:port>', "address of codeblue's metrics server (default: the run folder's, else 127.0.0.1:9464)")
    .option('--run <id|dir>', "run id (names the job), or a run folder: its /metrics address and run id")
    .option('--interval <duration>', 'scrape interval', '5s')
    .action((opts: { target?: string; run?: string; interval: string }) => {
      const run = opts.run !== undefined && isRunFolder(opts.run) ? metricsTargetOfRun(opts.run) : undefined;
      const runId = run?.runId ?? opts.run;
      const target = opts.target ?? run?.target ?? '127.0.0.1:9464';
      ctx.output().raw(prometheusScrapeConfig({ target, interval: opts.interval, ...(runId === undefined ? {} : { runId }) }));
      ctx.setExitCode(EXIT.ok);
    });
}

export const registerDashboard: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('dashboard')
    .description('Grafana dashboard from a plan (JSON), provisioning files, push to Grafana, Prometheus scrape config');
  registerBuild(cmd, ctx);
  registerProvision(cmd, ctx);
  registerPush(cmd, ctx);
  registerPrometheusConfig(cmd, ctx);
  for (const sub of cmd.commands) sub.exitOverride();
};
