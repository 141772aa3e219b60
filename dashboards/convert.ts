/**
 * @module dashboards: grafana-dash-gen's legacy output (schemaVersion 6, `rows[]` with `span` sizing, Graphite
 * defaults) → Grafana's current dashboard model: `panels[]` with `gridPos`, `row` panels, schemaVersion 42,
 * datasource references by uid. Only the current model's keys are copied, so no legacy field leaks through.
 */
import type { GeneratedPanel } from './panels/modern-panel.js';

/** The newest schemaVersion (Grafana after 12.0; foundation-sdk 0.0.21 emits the same); grafana-release.ts writes it down. */
export const SCHEMA_VERSION = 42;
/** Grafana's grid is 24 columns wide. */
const GRID_COLUMNS = 24;

/** The built-in "Annotations & Alerts" entry Grafana adds to every dashboard. */
const BUILT_IN_ANNOTATION = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

const TEMPLATE_KEYS = ['type', 'name', 'label', 'description', 'hide', 'query', 'definition', 'datasource', 'current', 'options', 'refresh', 'regex', 'sort', 'multi', 'includeAll', 'skipUrlSync'] as const;
const ANNOTATION_KEYS = ['name', 'datasource', 'enable', 'hide', 'iconColor', 'expr', 'step', 'titleFormat', 'textFormat', 'tagKeys', 'useValueForTime'] as const;

type Legacy = Record<string, unknown>;

/** Converts a generated dash-gen dashboard; `extra` carries the current-model fields dash-gen has no notion of. */
export function toCurrentModel(legacy: Legacy, extra: { uid: string; description?: string; time: { from: string; to: string }; refresh: string }): Record<string, unknown> {
  const rows = (legacy.rows ?? []) as Legacy[];
  const templating = ((legacy.templating as Legacy | undefined)?.list ?? []) as Legacy[];
  const annotations = ((legacy.annotations as Legacy | undefined)?.list ?? []) as Legacy[];
  return {
    id: null,
    uid: extra.uid,
    title: legacy.title,
    ...(extra.description === undefined ? {} : { description: extra.description }),
    tags: [...((legacy.tags ?? []) as string[])],
    timezone: legacy.timezone === 'utc' ? 'utc' : 'browser',
    editable: legacy.editable !== false,
    graphTooltip: legacy.sharedCrosshair === true ? 1 : 0,
    fiscalYearStartMonth: 0,
    liveNow: false,
    time: { ...extra.time },
    timepicker: {},
    refresh: extra.refresh,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    links: [],
    templating: { list: templating.map((t) => pick(t, TEMPLATE_KEYS)) },
    annotations: { list: [BUILT_IN_ANNOTATION, ...annotations.map((a) => pick(a, ANNOTATION_KEYS))] },
    panels: layoutRows(rows),
  };
}

/** Rows become `row` panels; each row's panels flow left to right and wrap at 24 columns. Ids are 1…n. */
function layoutRows(rows: readonly Legacy[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    out.push({ type: 'row', id: id++, title: row.title, collapsed: row.collapse === true, gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const panel of (row.panels ?? []) as GeneratedPanel[]) {
      const w = Math.min(GRID_COLUMNS, Math.max(1, panel.gridPos.w));
      const h = Math.max(1, panel.gridPos.h);
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      out.push({ ...panel, id: id++, gridPos: { h, w, x, y } });
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return out;
}

function pick(source: Legacy, keys: readonly string[]): Legacy {
  const out: Legacy = {};
  for (const k of keys) {
    const v = source[k];
    // dash-gen fills `current: {}` and `allValue: null`; the current model wants them absent.
    if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) continue;
    out[k] = structuredClone(v);
  }
  return out;
}
