/** @module dashboards/panels: Grafana `table` panel (replaces dash-gen's legacy table with `styles`/`transform`). */
import { ModernPanel, fieldDefaults, type PanelSpec } from './modern-panel.js';

export interface TableSpec extends PanelSpec {
  /** Rename of the value column of each target (`Value #A` …), in target order. */
  readonly valueNames: readonly string[];
}

/**
 * Instant table queries joined on their labels (Grafana's `merge` transformation): one row per label set,
 * one column per target.
 */
export function tablePanel(spec: TableSpec): ModernPanel {
  const refs = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const renameByName: Record<string, string> = {};
  spec.valueNames.forEach((name, i) => {
    renameByName[spec.targets.length > 1 ? `Value #${refs[i]}` : 'Value'] = name;
  });
  return new ModernPanel('table', { ...spec, targets: spec.targets.map((t) => ({ ...t, instant: true, format: 'table' as const })) }, {
    options: { frameIndex: 0, showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], countRows: false } },
    fieldConfig: { defaults: fieldDefaults(spec.unit, { align: 'auto', inspect: false }), overrides: [] },
    transformations: [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true, run: true, testid: true }, renameByName } },
    ],
  });
}
