/**
 * @module dashboards: Plan → Grafana dashboard JSON. grafana-dash-gen assembles it (dashboard, rows,
 * template variables, annotations) with codeblue's modern panels plugged in; `toCurrentModel` then writes
 * Grafana's current model.
 */
import dashgen from 'grafana-dash-gen';
import { forGrafana, grafanaRelease } from './grafana-release.js';
import type { Plan } from '../plan/index.js';
import { toCurrentModel } from './convert.js';
import { DATASOURCE_REF } from './panels/modern-panel.js';
import { metric, selector } from './promql.js';
import { faultsRow, loadRow, servicesRow, sloRow, type RowSpec } from './rows.js';

/** A Prometheus annotation query: Grafana marks where `expr` is non-zero (consecutive steps merge into a region). */
export interface AnnotationSpec {
  readonly name: string;
  readonly expr: string;
  readonly iconColor: string;
  readonly titleFormat?: string;
  readonly textFormat?: string;
  readonly tagKeys?: string;
  /** Resolution of the annotation query, e.g. `5s`. */
  readonly step?: string;
}

export interface BuildDashboardOptions {
  /** Name (or uid) of the Grafana Prometheus datasource selected by default; Grafana's default one otherwise. */
  readonly datasource?: string;
  /** Run id selected in the `run` variable. */
  readonly runId?: string;
  /** Dashboard time range, Grafana syntax (`now-15m`) or ISO-8601; default last 15 minutes. */
  readonly timeRange?: { readonly from: string; readonly to: string };
  /** Annotation queries; default `DEFAULT_ANNOTATIONS` (every fault window and phase of the selected run). */
  readonly annotations?: readonly AnnotationSpec[];
  /** Dashboard uid (at most 40 chars); default `codeblue-<plan name>`. */
  readonly uid?: string;
  readonly title?: string;
  /** Auto-refresh interval (`5s`), or '' for none; default `10s`. */
  readonly refresh?: string;
  /** Grafana release the JSON is for (`11.6`, `latest`); default the oldest supported, `OLDEST_GRAFANA`. */
  readonly grafanaVersion?: string;
}

/** The query the `run` variable lists run ids with (every run with load has this series). */
export const RUN_VARIABLE_QUERY = `label_values(${metric('k6_http_reqs_total')}, run)`;

/** Fault windows and phases, on every graph, straight from the live metrics. */
export const DEFAULT_ANNOTATIONS: readonly AnnotationSpec[] = [
  { name: 'Faults', expr: `${metric('codeblue_fault_active')}${selector()} == 1`, iconColor: 'red', titleFormat: 'fault {{proxy}} · {{toxic}}', tagKeys: 'proxy,toxic', step: '5s' },
  { name: 'Phases', expr: `${metric('codeblue_phase')}${selector()} == 1`, iconColor: 'blue', titleFormat: 'phase {{phase}}', tagKeys: 'phase', step: '5s' },
];

/**
 * The dashboard for a plan: rows Load, Faults, Services and SLOs; variables `datasource` and `run`.
 * @example writeFileSync('dashboard.json', JSON.stringify(buildDashboard(plan, { datasource: 'Prometheus' }), null, 2))
 */
export function buildDashboard(plan: Plan, options: BuildDashboardOptions = {}): Record<string, unknown> {
  const dashboard = new dashgen.Dashboard({
    title: options.title ?? `codeblue · ${plan.name}`,
    tags: ['codeblue', `plan:${plan.name}`],
    timezone: 'browser',
    sharedCrosshair: true,
  });
  dashboard.addTemplate(new dashgen.Templates.Custom({
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    refresh: 1,
    current: options.datasource === undefined ? undefined : { text: options.datasource, value: options.datasource, selected: true },
  }));
  dashboard.addTemplate(new dashgen.Templates.Query(RUN_VARIABLE_QUERY, {
    name: 'run',
    label: 'Run',
    datasource: { ...DATASOURCE_REF } as unknown as string, // dash-gen types it as a name; Grafana wants the reference
    includeAll: false,
    multi: false,
    refresh: 2 as unknown as boolean, // 2 = on time-range change (dash-gen's type predates numeric refresh)
  }));
  for (const a of options.annotations ?? DEFAULT_ANNOTATIONS) {
    dashboard.addAnnotation(new dashgen.Annotations.Graphite({ ...a, target: a.expr, datasource: { ...DATASOURCE_REF }, enable: true }));
  }
  const rows: RowSpec[] = [loadRow(), faultsRow(plan), servicesRow()];
  const slos = sloRow(plan);
  if (slos !== undefined) rows.push(slos);
  for (const spec of rows) {
    const row = new dashgen.Row({ title: spec.title });
    // dash-gen's Row calls only generate() on a panel (its documented extension point); its types list only its own classes.
    for (const panel of spec.panels) row.addPanel(panel as unknown as Parameters<typeof row.addPanel>[0]);
    dashboard.addRow(row);
  }
  const model = toCurrentModel(dashboard.generate() as unknown as Record<string, unknown>, {
    uid: (options.uid ?? `codeblue-${plan.name}`).slice(0, 40),
    description: `Game day "${plan.name}" (codeblue): load, faults, services and SLOs. Pick the run in the "run" variable.`,
    time: options.timeRange === undefined ? { from: 'now-15m', to: 'now' } : { ...options.timeRange },
    refresh: options.refresh ?? '10s',
  });
  const templating = model.templating as { list: Record<string, unknown>[] };
  const runVar = templating.list.find((v) => v.name === 'run');
  if (runVar !== undefined) {
    runVar.definition = RUN_VARIABLE_QUERY;
    runVar.sort = 1;
    if (options.runId !== undefined) runVar.current = { text: options.runId, value: options.runId, selected: true };
  }
  return forGrafana(model, grafanaRelease(options.grafanaVersion));
}
