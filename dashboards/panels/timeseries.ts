/** @module dashboards/panels: Grafana `timeseries` panel (replaces dash-gen's legacy `graph`). */
import { DEFAULT_STEPS, LEGEND, ModernPanel, TOOLTIP, fieldDefaults, type PanelSpec, type ThresholdStep } from './modern-panel.js';

export interface TimeseriesSpec extends PanelSpec {
  /** Threshold steps drawn as dashed lines (e.g. a burn-rate alert factor). */
  readonly thresholdLines?: readonly ThresholdStep[];
  readonly min?: number;
}

/** A line chart of the targets over the dashboard's time range. */
export function timeseriesPanel(spec: TimeseriesSpec): ModernPanel {
  const custom = {
    drawStyle: 'line',
    lineWidth: 1,
    fillOpacity: 10,
    lineInterpolation: 'linear',
    showPoints: 'never',
    spanNulls: false,
    axisPlacement: 'auto',
    thresholdsStyle: { mode: spec.thresholdLines === undefined ? 'off' : 'dashed' },
  };
  const defaults = fieldDefaults(spec.unit, custom, spec.thresholdLines ?? DEFAULT_STEPS);
  return new ModernPanel('timeseries', spec, {
    options: { legend: { ...LEGEND }, tooltip: { ...TOOLTIP } },
    fieldConfig: { defaults: spec.min === undefined ? defaults : { ...defaults, min: spec.min }, overrides: [] },
  });
}
