/**
 * @module reports/results: reads results.json written before SLO scopes and grouped PHI findings (same schema
 * version 1), so `compare` and `report` still accept last release's run folders. Pure: returns a new object.
 */

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Old `phi.findings[]` → `groups` (rule × service × key); old SLOs → `scope: all-windows`, every window gating. */
export function upgradeResults(doc: unknown): unknown {
  if (!isObject(doc) || doc.schemaVersion !== 1) return doc;
  const out: Doc = { ...doc };
  if (Array.isArray(doc.slos)) {
    out.slos = doc.slos.map((slo) => !isObject(slo) || 'scope' in slo ? slo : {
      ...slo, scope: 'all-windows', scopes: Array.isArray(slo.scopes) ? slo.scopes.map((s) => (isObject(s) && !('gating' in s) ? { ...s, gating: true } : s)) : slo.scopes,
    });
  }
  if (isObject(doc.phi) && Array.isArray(doc.phi.findings) && !('groups' in doc.phi)) {
    const { findings, ...phi } = doc.phi;
    const groups = new Map<string, { rule: string; service: string; key: string; location: string; count: number; traceIds: string[]; masked: string }>();
    for (const f of findings as Doc[]) {
      const id = `${String(f.rule)}\u0000${String(f.service)}\u0000${String(f.key)}`;
      const g = groups.get(id) ?? { rule: String(f.rule), service: String(f.service), key: String(f.key), location: String(f.location), count: 0, traceIds: [], masked: String(f.masked) };
      g.count++;
      if (g.traceIds.length < 3 && typeof f.traceId === 'string' && f.traceId !== '' && !g.traceIds.includes(f.traceId)) g.traceIds.push(f.traceId);
      groups.set(id, g);
    }
    const total = typeof phi.total === 'number' ? phi.total : findings.length;
    out.phi = { scan: 'on', onFinding: 'fail', allowed: 0, ...phi, groups: [...groups.values()].sort((a, b) => b.count - a.count), ungrouped: Math.max(0, total - findings.length) };
  }
  return out;
}
