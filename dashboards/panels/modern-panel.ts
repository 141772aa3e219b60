/**
 * @module dashboards/panels: the panel extension point handed to grafana-dash-gen. dash-gen's `Row` only calls
 * `generate()` on what it is given, so these objects bring current Grafana panels (timeseries, stat,
 * state-timeline, table) with Prometheus targets by datasource uid, in place of dash-gen's legacy graph/singlestat.
 */

/** Every panel's datasource: the dashboard's `datasource` template variable (Grafana resolves it by uid or name). */
export const DATASOURCE_REF = { type: 'prometheus', uid: '${datasource}' } as const;

/** One Prometheus query of a panel. */
interface PromTarget {
  readonly expr: string;
  readonly legendFormat?: string;
  /** Instant query (one value at the end of the range), for tables and stats over `$__range`. */
  readonly instant?: boolean;
  readonly format?: 'time_series' | 'table';
}

/** What every panel kind shares. Width in grid columns (1–24), height in grid units (30 px each). */
export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly targets: readonly PromTarget[];
  readonly unit?: string;
  readonly width?: number;
  readonly height?: number;
}

/** A generated panel before layout: x/y are placed later by the row converter. */
export interface GeneratedPanel {
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly [key: string]: unknown;
}

/** What dash-gen requires of a panel: `generate()`. */
export interface DashGenPanelLike {
  generate(): GeneratedPanel;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Prometheus targets in the current model: refId A…Z and a datasource reference by uid. */
function promTargets(targets: readonly PromTarget[]): Record<string, unknown>[] {
  if (targets.length > REF_IDS.length) throw new Error(`dashboards: at most ${REF_IDS.length} targets per panel`);
  return targets.map((t, i) => ({
    datasource: { ...DATASOURCE_REF },
    refId: REF_IDS[i],
    expr: t.expr,
    editorMode: 'code',
    range: t.instant !== true,
    instant: t.instant === true,
    ...(t.legendFormat === undefined ? {} : { legendFormat: t.legendFormat }),
    ...(t.format === undefined ? {} : { format: t.format }),
  }));
}

/** Builds a panel object with the shared fields; `kind` supplies options and fieldConfig. */
export class ModernPanel implements DashGenPanelLike {
  constructor(
    private readonly type: string,
    private readonly spec: PanelSpec,
    private readonly extra: { readonly options: object; readonly fieldConfig: object; readonly transformations?: readonly object[] },
  ) {}

  generate(): GeneratedPanel {
    const { spec } = this;
    return {
      type: this.type,
      title: spec.title,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      datasource: { ...DATASOURCE_REF },
      gridPos: { h: spec.height ?? 8, w: spec.width ?? 12, x: 0, y: 0 },
      targets: promTargets(spec.targets),
      options: structuredClone(this.extra.options),
      fieldConfig: structuredClone(this.extra.fieldConfig),
      ...(this.extra.transformations === undefined ? {} : { transformations: structuredClone(this.extra.transformations) }),
    };
  }
}

/** Field defaults shared by every kind: unit, colour and thresholds. */
export function fieldDefaults(unit: string | undefined, custom: object, steps: readonly ThresholdStep[] = DEFAULT_STEPS): object {
  return {
    ...(unit === undefined ? {} : { unit }),
    color: { mode: 'palette-classic' },
    thresholds: { mode: 'absolute', steps: steps.map((s) => ({ ...s })) },
    custom,
  };
}

export interface ThresholdStep {
  readonly color: string;
  /** null = the base step (−∞). */
  readonly value: number | null;
}

export const DEFAULT_STEPS: readonly ThresholdStep[] = [{ color: 'green', value: null }];

export const LEGEND = { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] } as const;
export const TOOLTIP = { mode: 'multi', sort: 'desc' } as const;
