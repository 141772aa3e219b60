/** @module demo/db: FHIR resources as JSONB rows — insert, versioned upsert, read, existence and search. */
import type pg from 'pg';

/** A pool or a client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** A stored FHIR resource (the JSON includes id and meta). */
export type ResourceJson = Record<string, unknown> & { resourceType: string; id: string };

/** One search condition, compiled to SQL here so the API layer never writes SQL. */
export type SearchClause =
  | { readonly kind: 'contains'; readonly doc: Record<string, unknown> }
  | { readonly kind: 'patient'; readonly patientId: string }
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  /** Patient `identifier`: its array contains these entries (index lookup). */
  | { readonly kind: 'identifier'; readonly entries: readonly Record<string, string>[] }
  /** Patient `name` (any part), or R4 `family` / `given` only: case-insensitive prefix match (index range scan). */
  | { readonly kind: 'name-prefix'; readonly prefix: string; readonly part?: 'family' | 'given' }
  | { readonly kind: 'start'; readonly op: '=' | '>=' | '>' | '<=' | '<'; readonly instant: string };

/** JSONB stores keys sorted by length; put resourceType, id and meta first again, as FHIR JSON is usually read. */
const ordered = (c: ResourceJson): ResourceJson => Object.assign({ resourceType: c.resourceType, id: c.id, meta: c.meta }, c);

/** Up to this many matches a page is read by joining them; past it, by reading in order (see compile). */
const FEW_MATCHES = 200;

/** Resource rows of one schema. */
export class ResourceStore {
  constructor(private readonly schema: string) {}

  private get table(): string {
    return `${this.schema}.resources`;
  }

  /** Inserts a new resource; false when (type, id) already exists. */
  async insert(q: Queryable, res: ResourceJson, patientId: string | null): Promise<boolean> {
    const r = await q.query(`insert into ${this.table} (type, id, version_id, content, patient_id) values ($1, $2, 1, $3, $4) on conflict do nothing`, [res.resourceType, res.id, res, patientId]);
    return r.rowCount === 1;
  }

  /** Inserts resources of one patient in one statement, skipping (type, id) pairs that already exist; returns how many were new. */
  async insertMissing(q: Queryable, resources: readonly ResourceJson[], patientId: string | null): Promise<number> {
    if (resources.length === 0) return 0;
    const r = await q.query(
      `insert into ${this.table} (type, id, version_id, content, patient_id)
       select r->>'resourceType', r->>'id', 1, r, $2 from jsonb_array_elements($1::jsonb) r on conflict do nothing`,
      [JSON.stringify(resources), patientId],
    );
    return r.rowCount ?? 0;
  }

  /** Creates or replaces; the stored meta.versionId is bumped in SQL so concurrent updates never reuse a version. */
  async upsert(q: Queryable, res: ResourceJson, patientId: string | null): Promise<{ created: boolean; resource: ResourceJson }> {
    const r = await q.query<{ content: ResourceJson; version_id: number }>(
      `insert into ${this.table} as r (type, id, version_id, content, patient_id) values ($1, $2, 1, $3, $4)
       on conflict (type, id) do update set version_id = r.version_id + 1, patient_id = excluded.patient_id, last_updated = now(),
         content = jsonb_set(excluded.content, '{meta,versionId}', to_jsonb((r.version_id + 1)::text))
       returning content, version_id`,
      [res.resourceType, res.id, res, patientId],
    );
    const row = r.rows[0];
    if (!row) throw new Error('upsert returned no row');
    return { created: row.version_id === 1, resource: ordered(row.content) };
  }

  /** Reads one resource, optionally locking the row for this transaction. */
  async read(q: Queryable, type: string, id: string, forUpdate = false): Promise<ResourceJson | null> {
    const r = await q.query<{ content: ResourceJson }>(`select content from ${this.table} where type = $1 and id = $2${forUpdate ? ' for update' : ''}`, [type, id]);
    const row = r.rows[0];
    return row ? ordered(row.content) : null;
  }

  /** The resources of `type` with these ids, oldest first (primary-key lookups, no total). */
  async readMany(q: Queryable, type: string, ids: readonly string[]): Promise<ResourceJson[]> {
    if (ids.length === 0) return [];
    const r = await q.query<{ content: ResourceJson }>(`select content from ${this.table} where type = $1 and id = any($2::text[]) order by seq`, [type, ids]);
    return r.rows.map((row) => ordered(row.content));
  }

  /** Which of `refs` ("Type/id") do not exist. */
  async missing(q: Queryable, refs: readonly string[]): Promise<string[]> {
    if (refs.length === 0) return [];
    // Split in SQL so each ref is a primary-key lookup (a `type || '/' || id` comparison read every row).
    const r = await q.query<{ ref: string }>(
      `select type || '/' || id as ref from ${this.table}
       where (type, id) in (select split_part(ref, '/', 1), substr(ref, strpos(ref, '/') + 1) from unnest($1::text[]) ref)`,
      [refs],
    );
    const found = new Set(r.rows.map((x) => x.ref));
    return refs.filter((ref) => !found.has(ref));
  }

  /** Resources of `type` matching every clause, oldest first, one page plus the total. */
  async search(q: Queryable, type: string, clauses: readonly SearchClause[], count: number, offset: number): Promise<{ total: number; resources: ResourceJson[] }> {
    const ids = Math.min(...clauses.map((c) => (c.kind === 'ids' ? new Set(c.ids).size : Infinity)));
    if (offset === 0 && count >= ids) {
      // A first page with room for every listed id (a client confirming writes by `_id`) holds all matches: its rows
      // are the total, and no count statement is needed.
      const resources = await this.page(q, type, clauses, count, 0, false);
      return { total: resources.length, resources };
    }
    const total = await this.count(q, type, clauses);
    if (count === 0 || offset >= total) return { total, resources: [] };
    return { total, resources: await this.page(q, type, clauses, count, offset, total > FEW_MATCHES) };
  }

  /** One page of the matches, oldest first. */
  private async page(q: Queryable, type: string, clauses: readonly SearchClause[], count: number, offset: number, manyMatches: boolean): Promise<ResourceJson[]> {
    const params: unknown[] = [type];
    const where = ['type = $1', ...clauses.map((c) => this.compile(c, params, manyMatches))].join(' and ');
    const page = await q.query<{ content: ResourceJson }>(`select content from ${this.table} where ${where} order by seq limit ${count} offset ${offset}`, params);
    return page.rows.map((r) => ordered(r.content));
  }

  /** How many resources match; a search by name alone counts in patient_names (each Patient once), not in the resource rows. */
  private async count(q: Queryable, type: string, clauses: readonly SearchClause[]): Promise<number> {
    const only = clauses.length === 1 ? clauses[0] : undefined;
    if (only?.kind === 'name-prefix') {
      const params: unknown[] = [];
      const r = await q.query<{ n: string }>(`select count(distinct pn.id) as n from ${this.schema}.patient_names pn where ${this.nameMatch(only, params)}`, params);
      return Number(r.rows[0]?.n ?? 0);
    }
    const params: unknown[] = [type];
    const where = ['type = $1', ...clauses.map((c) => this.compile(c, params, false))].join(' and ');
    const r = await q.query<{ n: string }>(`select count(*) as n from ${this.table} where ${where}`, params);
    return Number(r.rows[0]?.n ?? 0);
  }

  /** patient_names holds each lower-cased part of every Patient's names (kept by a trigger, see migrations.ts). */
  private nameMatch(c: Extract<SearchClause, { kind: 'name-prefix' }>, params: unknown[]): string {
    const like = `$${params.push(`${c.prefix.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`;
    return `pn.part like ${like}${c.part === undefined ? '' : ` and pn.kind = $${params.push(c.part)}`}`;
  }

  /** `manyMatches`: the search has more than FEW_MATCHES results (see the name-prefix case). */
  private compile(c: SearchClause, params: unknown[], manyMatches: boolean): string {
    const p = (v: unknown): string => `$${params.push(v)}`;
    switch (c.kind) {
      case 'contains':
        return `content @> ${p(JSON.stringify(c.doc))}::jsonb`;
      case 'patient':
        return `patient_id = ${p(c.patientId)}`;
      case 'ids':
        return `id = any(${p(c.ids)}::text[])`;
      case 'identifier':
        return `content->'identifier' @> ${p(JSON.stringify(c.entries))}::jsonb`;
      case 'name-prefix': {
        const matches = `id in (select pn.id from ${this.schema}.patient_names pn where ${this.nameMatch(c, params)})`;
        // Few matches: joined and sorted. Many: `is true` keeps the IN from becoming a join (PostgreSQL pulls up only a
        // bare IN), so it is a hashed set tested per row while Patients are read in seq order, stopping after the page —
        // the same few rows however many thousand Patients share the name (a join reads and sorts every match).
        return manyMatches ? `(${matches}) is true` : matches;
      }
      case 'start':
        return `(content->>'start')::timestamptz ${c.op} ${p(c.instant)}::timestamptz`;
    }
  }
}
