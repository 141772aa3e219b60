/** @module dashboards: every PromQL expression a built dashboard holds (panels, annotations, variables), with where it sits. */

export interface DashboardQuery {
  /** `panel`, `annotation` or `variable`. */
  readonly kind: 'panel' | 'annotation' | 'variable';
  /** Panel title / annotation name / variable name, plus the refId for panels. */
  readonly where: string;
  readonly expr: string;
  /** Panels: an instant query (one value at the end of the range). */
  readonly instant: boolean;
}

/** Lists the queries of a dashboard in the current model (as `buildDashboard` returns it). */
export function dashboardQueries(dashboard: Readonly<Record<string, unknown>>): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of (dashboard.panels ?? []) as Record<string, unknown>[]) {
    for (const t of (p.targets ?? []) as Record<string, unknown>[]) {
      if (typeof t.expr === 'string') out.push({ kind: 'panel', where: `${String(p.title)} ${String(t.refId)}`, expr: t.expr, instant: t.instant === true });
    }
  }
  for (const a of ((dashboard.annotations as { list?: Record<string, unknown>[] } | undefined)?.list ?? [])) {
    if (typeof a.expr === 'string') out.push({ kind: 'annotation', where: String(a.name), expr: a.expr, instant: false });
  }
  for (const v of ((dashboard.templating as { list?: Record<string, unknown>[] } | undefined)?.list ?? [])) {
    if (v.type === 'query' && typeof v.query === 'string') out.push({ kind: 'variable', where: String(v.name), expr: v.query, instant: false });
  }
  return out;
}
