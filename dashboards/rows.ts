/**
 * @module dashboards: what each row of the dashboard shows — load, faults, services, SLOs — as panel
 * specs with their PromQL. Layout is a row's panels left to right on Grafana's 24-column grid.
 */
import type { Plan } from '../plan/index.js';
import type { DashGenPanelLike } from './panels/modern-panel.js';
import { statPanel } from './panels/stat.js';
import { stateTimelinePanel } from './panels/state-timeline.js';
import { tablePanel } from './panels/table.js';
import { timeseriesPanel } from './panels/timeseries.js';
import { failureRatio, metric, promDuration, quantile, selector, sumRate } from './promql.js';
import { BURN_WINDOWS, budgetLeft, burnFactor, burnRate, pairLabel, sloErrorRatio } from './slo-queries.js';

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly DashGenPanelLike[];
}

const RATE = '$__rate_interval';
const RANGE = '$__range';
const run = selector();
const REQS = metric('k6_http_reqs_total');
const FAILED = metric('k6_http_req_failed_total');

/** rps, latency quantiles, error ratio by scenario and by request, VUs, totals. */
export function loadRow(): RowSpec {
  return {
    title: 'Load',
    panels: [
      statPanel({ title: 'Requests', unit: 'short', targets: [{ expr: `sum(max_over_time(${REQS}${run}[${RANGE}]))`, instant: true }] }),
      statPanel({
        title: 'Failed requests',
        unit: 'percentunit',
        decimals: 2,
        steps: [{ color: 'green', value: null }, { color: 'red', value: 0.01 }],
        targets: [{ expr: `(sum(max_over_time(${FAILED}${run}[${RANGE}])) or vector(0)) / sum(max_over_time(${REQS}${run}[${RANGE}]))`, instant: true }],
      }),
      statPanel({ title: 'Peak VUs', unit: 'short', targets: [{ expr: `max(max_over_time(${metric('k6_vus')}${run}[${RANGE}]))`, instant: true }] }),
      statPanel({
        title: 'Dropped iterations',
        unit: 'short',
        steps: [{ color: 'green', value: null }, { color: 'orange', value: 1 }],
        targets: [{ expr: `sum(max_over_time(${metric('k6_dropped_iterations_total')}${run}[${RANGE}])) or vector(0)`, instant: true }],
      }),
      timeseriesPanel({
        title: 'Requests per second by scenario',
        unit: 'reqps',
        targets: [{ expr: sumRate(REQS, run, RATE, ['scenario']), legendFormat: '{{scenario}}' }],
      }),
      timeseriesPanel({
        title: 'Request latency p50 / p95 / p99',
        unit: 's',
        targets: [0.5, 0.95, 0.99].map((q) => ({ expr: quantile(q, 'k6_http_req_duration_seconds', run, RATE), legendFormat: `p${q * 100}` })),
      }),
      timeseriesPanel({
        title: 'Error rate by scenario',
        unit: 'percentunit',
        min: 0,
        targets: [{ expr: failureRatio(FAILED, REQS, run, RATE, ['scenario']), legendFormat: '{{scenario}}' }],
      }),
      timeseriesPanel({
        title: 'Active VUs',
        unit: 'short',
        targets: [{ expr: `sum(${metric('k6_vus')}${run})`, legendFormat: 'active' }, { expr: `sum(${metric('k6_vus_max')}${run})`, legendFormat: 'allocated' }],
      }),
      tablePanel({
        title: 'Requests by scenario and request',
        width: 24,
        valueNames: ['requests', 'error rate', 'p95 (s)'],
        targets: [
          { expr: `sum by (scenario, name) (max_over_time(${REQS}${run}[${RANGE}]))` },
          { expr: failureRatio(FAILED, REQS, run, RANGE, ['scenario', 'name']) },
          { expr: quantile(0.95, 'k6_http_req_duration_seconds', run, RANGE, ['scenario', 'name']) },
        ],
      }),
    ],
  };
}

/** Which fault is on, and which phase the run is in (the annotations mark the same windows on every graph). */
export function faultsRow(plan: Plan): RowSpec {
  const planned = plan.faults.map((f) => `${f.proxy}/${f.name} (${f.toxic})`).join(', ');
  return {
    title: 'Faults',
    panels: [
      stateTimelinePanel({
        title: 'Active faults',
        description: planned === '' ? 'The plan has no faults.' : `Planned: ${planned}.`,
        width: 24,
        height: 6,
        off: { text: 'off', color: 'green' },
        on: { text: 'ON', color: 'red' },
        targets: [{ expr: `max by (proxy, toxic) (${metric('codeblue_fault_active')}${run})`, legendFormat: '{{proxy}} · {{toxic}}' }],
      }),
      stateTimelinePanel({
        title: 'Phase',
        width: 24,
        height: 5,
        off: { text: 'done', color: 'transparent' },
        on: { text: 'current', color: 'blue' },
        targets: [{ expr: `max by (phase) (${metric('codeblue_phase')}${run})`, legendFormat: '{{phase}}' }],
      }),
    ],
  };
}

/** Server-side view from the spans the stack sent over OTLP. */
export function servicesRow(): RowSpec {
  const spans = 'codeblue_span_duration_seconds' as const;
  const errors = metric('codeblue_span_errors_total');
  const count = metric(spans, '_count');
  return {
    title: 'Services',
    panels: [
      timeseriesPanel({
        title: 'Span latency p95 by service',
        unit: 's',
        targets: [{ expr: quantile(0.95, spans, run, RATE, ['service']), legendFormat: '{{service}}' }],
      }),
      timeseriesPanel({
        title: 'Span error rate by service',
        unit: 'percentunit',
        min: 0,
        targets: [{ expr: failureRatio(errors, count, run, RATE, ['service']), legendFormat: '{{service}}' }],
      }),
      tablePanel({
        title: 'Spans by service and name',
        width: 24,
        valueNames: ['spans', 'errors', 'p95 (s)'],
        targets: [
          { expr: `sum by (service, span) (max_over_time(${count}${run}[${RANGE}]))` },
          { expr: `sum by (service, span) (max_over_time(${errors}${run}[${RANGE}])) or sum by (service, span) (max_over_time(${count}${run}[${RANGE}])) * 0` },
          { expr: quantile(0.95, spans, run, RANGE, ['service', 'span']) },
        ],
      }),
    ],
  };
}

/** Per SLO: burn rate over the multi-window pairs, and error budget left over the run and over the SLO window. */
export function sloRow(plan: Plan): RowSpec | undefined {
  if (plan.slos.length === 0) return undefined;
  const panels = plan.slos.flatMap((slo) => {
    const window = promDuration(slo.window);
    const page = BURN_WINDOWS[0] ? burnFactor(BURN_WINDOWS[0], slo.window) : 14.4;
    return [
      timeseriesPanel({
        title: `SLO ${slo.name}: burn rate`,
        description: `Error ratio ÷ error budget (objective ${(slo.objective * 100).toFixed(3).replace(/\.?0+$/, '')}% over ${window}). `
          + `Alert factors for this window: ${BURN_WINDOWS.map((w) => `${pairLabel(w)} > ${burnFactor(w, slo.window)}`).join(', ')}.`,
        unit: 'x',
        width: 16,
        thresholdLines: [{ color: 'green', value: null }, { color: 'red', value: page }],
        targets: [
          { expr: burnRate(slo, RATE), legendFormat: 'now' },
          ...BURN_WINDOWS.flatMap((w) => [
            { expr: burnRate(slo, promDuration(w.longMs)), legendFormat: `${promDuration(w.longMs)} (alert ${pairLabel(w)} > ${burnFactor(w, slo.window)})` },
            { expr: burnRate(slo, promDuration(w.shortMs)), legendFormat: promDuration(w.shortMs) },
          ]),
        ],
      }),
      statPanel({
        title: `SLO ${slo.name}: budget left`,
        unit: 'percentunit',
        width: 4,
        height: 8,
        decimals: 1,
        steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.5 }],
        targets: [
          { expr: budgetLeft(slo, RANGE), legendFormat: 'this run', instant: true },
          { expr: budgetLeft(slo, window), legendFormat: `last ${window}`, instant: true },
        ],
      }),
      statPanel({
        title: `SLO ${slo.name}: SLI`,
        unit: 'percentunit',
        width: 4,
        height: 8,
        decimals: 3,
        steps: [{ color: 'red', value: null }, { color: 'green', value: slo.objective }],
        targets: [{ expr: `1 - (${sloErrorRatio(slo, RANGE)})`, legendFormat: 'this run', instant: true }],
      }),
    ];
  });
  return { title: 'SLOs', panels };
}
