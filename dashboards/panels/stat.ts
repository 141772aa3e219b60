/** @module dashboards/panels: Grafana `stat` panel (replaces dash-gen's legacy `singlestat`). */
import { DEFAULT_STEPS, ModernPanel, fieldDefaults, type PanelSpec, type ThresholdStep } from './modern-panel.js';

export interface StatSpec extends PanelSpec {
  /** Colour steps for the value (e.g. red below 0 budget left). */
  readonly steps?: readonly ThresholdStep[];
  readonly decimals?: number;
}

/** One big number per target: the last value over the range. */
export function statPanel(spec: StatSpec): ModernPanel {
  const defaults = fieldDefaults(spec.unit, {}, spec.steps ?? DEFAULT_STEPS);
  return new ModernPanel('stat', { height: 4, width: 6, ...spec }, {
    options: {
      graphMode: 'area',
      colorMode: spec.steps === undefined ? 'none' : 'value',
      justifyMode: 'auto',
      textMode: 'auto',
      wideLayout: true,
      showPercentChange: false,
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      percentChangeColorMode: 'standard',
      orientation: 'auto',
    },
    fieldConfig: { defaults: spec.decimals === undefined ? defaults : { ...defaults, decimals: spec.decimals }, overrides: [] },
  });
}
