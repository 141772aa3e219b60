/**
 * @module collectors/phi: findings grouped by rule × service × attribute key — 690 identical leaks are one row
 * with a count and the first few trace ids, not 690 rows.
 */
import type { PhiRule } from './rules.js';

/** One kind of leak: the same rule, in the same service, under the same attribute key. */
export interface PhiFindingGroup {
  readonly rule: PhiRule;
  readonly service: string;
  readonly key: string;
  /** Where the first finding of the group was (`span.attribute`, `log.body`, …). */
  readonly location: string;
  readonly count: number;
  /** The first distinct trace ids (at most `TRACE_IDS_PER_GROUP`). */
  readonly traceIds: readonly string[];
  /** The first finding's masked value. */
  readonly masked: string;
}

const TRACE_IDS_PER_GROUP = 3;

interface MutableGroup {
  rule: PhiRule;
  service: string;
  key: string;
  location: string;
  count: number;
  traceIds: string[];
  masked: string;
}

/** Accumulates groups; beyond `maxGroups` new groups are counted in `overflow` only. */
export function createGrouper(maxGroups = 500): {
  add(f: { rule: PhiRule; service: string; key: string; location: string; traceId: string; masked: string }): void;
  groups(): PhiFindingGroup[];
  overflow(): number;
} {
  const byKey = new Map<string, MutableGroup>();
  let overflow = 0;
  return {
    add(f) {
      const id = `${f.rule}\u0000${f.service}\u0000${f.key}`;
      let g = byKey.get(id);
      if (!g) {
        if (byKey.size >= maxGroups) {
          overflow++;
          return;
        }
        g = { rule: f.rule, service: f.service, key: f.key, location: f.location, count: 0, traceIds: [], masked: f.masked };
        byKey.set(id, g);
      }
      g.count++;
      if (g.traceIds.length < TRACE_IDS_PER_GROUP && f.traceId !== '' && !g.traceIds.includes(f.traceId)) g.traceIds.push(f.traceId);
    },
    // Biggest groups first, then by name, so the report reads the same every time.
    groups: () => [...byKey.values()]
      .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.service.localeCompare(b.service) || a.key.localeCompare(b.key))
      .map((g) => ({ ...g, traceIds: [...g.traceIds] })),
    overflow: () => overflow,
  };
}
