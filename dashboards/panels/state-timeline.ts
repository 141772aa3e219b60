/** @module dashboards/panels: Grafana `state-timeline` panel — on/off bands such as active faults and phases. */
import { LEGEND, ModernPanel, fieldDefaults, type PanelSpec } from './modern-panel.js';

export interface StateTimelineSpec extends PanelSpec {
  /** Text and colour shown for 0 and 1. */
  readonly off: { readonly text: string; readonly color: string };
  readonly on: { readonly text: string; readonly color: string };
}

/** One band per series; value 1 = `on`, 0 = `off`. */
export function stateTimelinePanel(spec: StateTimelineSpec): ModernPanel {
  const defaults = {
    ...(fieldDefaults(spec.unit, { lineWidth: 0, fillOpacity: 70 }) as Record<string, unknown>),
    color: { mode: 'thresholds' },
    thresholds: { mode: 'absolute', steps: [{ color: spec.off.color, value: null }, { color: spec.on.color, value: 1 }] },
    mappings: [{
      type: 'value',
      options: { '0': { text: spec.off.text, color: spec.off.color, index: 0 }, '1': { text: spec.on.text, color: spec.on.color, index: 1 } },
    }],
  };
  return new ModernPanel('state-timeline', spec, {
    options: {
      showValue: 'auto',
      rowHeight: 0.9,
      mergeValues: true,
      alignValue: 'left',
      legend: { ...LEGEND, showLegend: false },
      tooltip: { mode: 'single', sort: 'none' },
    },
    fieldConfig: { defaults, overrides: [] },
  });
}
