/** @module scenarios/engine: a request step compiled once per scenario runtime — static parts, tags, statuses, series handles. */
import type { RequestSeries } from '../../core/metrics/index.js';
import type { RequestSample } from '../../core/sample.js';
import type { RequestStep } from '../schema.js';
import type { ScenarioRuntime } from './iteration.js';
import { hasTemplate, render, renderText, type TemplateScope } from '../portable/template.js';

/** A request with its static parts rendered once (steps without `{{ }}` skip templating entirely). */
export interface Prepared {
  /** The path under the origin, or an absolute URL when the step leaves the target's origin (never sent). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}
/** What one step needs per request, worked out once per runtime: static parts, tags, expected statuses, series handles. */
export interface Compiled {
  /** The rendered request when the step has no `{{ }}`; undefined when it is rendered per request. */
  readonly fixed: Prepared | undefined;
  /** `fixed.path` leaves the target's origin. */
  readonly fixedOffTarget: boolean;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly expected: ReadonlySet<number> | undefined;
  /** Something reads the response (check, save, ledger); otherwise the body is counted, not kept. */
  readonly readsBody: boolean;
  /** Series handles by `status * 2 + failed`, valid for `seriesGroup`. */
  readonly series: Map<number, RequestSeries>;
  seriesGroup: string | undefined;
}
/** Per runtime (a step's static parts depend on the target's origin and base path). */
const compiledByRuntime = new WeakMap<ScenarioRuntime, WeakMap<RequestStep, Compiled>>();
export const ABSOLUTE = /^https?:\/\//i;

export function prepare(rt: ScenarioRuntime, step: RequestStep, scope: TemplateScope): Prepared {
  const r = step.request;
  const target = resolveTarget(rt, renderText(r.path, scope));
  let path = target.path;
  if (r.query !== undefined) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(r.query)) qs.append(k, typeof v === 'string' ? renderText(v, scope) : String(v));
    path += (path.includes('?') ? '&' : '?') + qs.toString();
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = renderText(v, scope);
  let body: string | undefined;
  if (r.json !== undefined) {
    body = JSON.stringify(render(r.json, scope));
    headers['content-type'] ??= 'application/json';
  } else if (r.body !== undefined) body = renderText(r.body, scope);
  return { path: target.origin === rt.origin ? path : `${target.origin}${path}`, headers, body };
}

export function compiledFor(rt: ScenarioRuntime, step: RequestStep): Compiled {
  let cache = compiledByRuntime.get(rt);
  if (cache === undefined) {
    cache = new WeakMap();
    compiledByRuntime.set(rt, cache);
  }
  let c = cache.get(step);
  if (c === undefined) {
    const r = step.request;
    const fixed = hasTemplate(r) ? undefined : prepare(rt, step, {});
    const tags = r.tags === undefined ? rt.tags : { ...rt.tags, ...r.tags };
    c = {
      fixed, fixedOffTarget: fixed !== undefined && ABSOLUTE.test(fixed.path), name: r.name ?? r.path,
      tags: Object.keys(tags).length === 0 ? undefined : tags,
      expected: r.expectedStatuses ? new Set(r.expectedStatuses) : undefined,
      readsBody: step.check !== undefined || step.save !== undefined || step.ledger !== undefined,
      series: new Map(), seriesGroup: undefined,
    };
    cache.set(step, c);
  }
  return c;
}

/** The series handle for this step × group × status × failed, cached on the step. */
export function seriesOf(rt: ScenarioRuntime, c: Compiled, group: string, sample: RequestSample): RequestSeries {
  if (c.seriesGroup === undefined) c.seriesGroup = group;
  else if (c.seriesGroup !== group) return rt.recorder.requestSeriesFor(sample); // one step object reused in two groups
  const key = sample.status * 2 + (sample.failed ? 1 : 0);
  let found = c.series.get(key);
  if (found === undefined) {
    found = rt.recorder.requestSeriesFor(sample);
    c.series.set(key, found);
  }
  return found;
}

/** A rendered path is joined to the base URL; an absolute URL (a FHIR `next` link) must stay on the target's origin. */
function resolveTarget(rt: ScenarioRuntime, rendered: string): { origin: string; path: string } {
  if (/^https?:\/\//i.test(rendered)) {
    const u = new URL(rendered);
    return { origin: u.origin, path: `${u.pathname}${u.search}` };
  }
  if (rt.basePath !== '' && rendered.startsWith(`${rt.basePath}/`)) return { origin: rt.origin, path: rendered };
  return { origin: rt.origin, path: `${rt.basePath}${rendered.startsWith('/') ? '' : '/'}${rendered}` };
}

/** The step's headers plus this request's `traceparent` (no copy loop when the step has no headers). */
export function withTraceparent(base: Readonly<Record<string, string>>, traceparent: string): Record<string, string> {
  for (const _ in base) return { ...base, traceparent };
  return { traceparent };
}
