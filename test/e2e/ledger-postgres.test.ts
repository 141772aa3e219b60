/**
 * @module run: the ledger against the demo FHIR API on real PostgreSQL (127.0.0.1:5432, database test, own schema):
 * a Patient renamed or re-dated behind the API is "changed", with the field paths; a version bump alone is not.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceFields } from '../../core/index.js';
import { fhir, patient } from '../../demo/testing/fhir-client.js';
import { dropSchema, TEST_DATABASE_URL } from '../../demo/testing/test-database.js';
import { startTestApi, type TestApi } from '../../demo/testing/start-test-api.js';
import { verifyLedger, type AcknowledgedWrite } from '../../run/index.js';

const schema = `ledger_test_${process.pid}_${Date.now().toString(36)}`;

describe('ledger read-back on the demo FHIR API and PostgreSQL', { timeout: 30_000 }, () => {
  let api: TestApi | undefined;
  let db: pg.Client | undefined;
  const base = (): string => api!.api.url;

  beforeAll(async () => {
    api = await startTestApi(TEST_DATABASE_URL, schema);
    db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.stop();
    await dropSchema(schema);
  });

  /** Creates a Patient through the API and returns the ledger entry the load engine would keep for it. */
  async function acknowledged(family: string): Promise<AcknowledgedWrite> {
    const r = await fhir(`${base()}/fhir/Patient`, { body: patient(family, { identifier: [{ system: 'urn:cb', value: `CB-${family}` }] }) });
    expect(r.status).toBe(201);
    const id = String(r.body.id);
    return { at: 0, scenario: 'registration', resourceType: 'Patient', id, readPath: `/fhir/Patient/${id}`, keyFields: resourceFields(r.body) };
  }

  /** Edits the stored JSON directly, as a faulty sync job or a manual fix would. */
  const behindTheApi = async (id: string, sql: string): Promise<void> => {
    const r = await db!.query(`update ${schema}.resources set content = ${sql} where type = 'Patient' and id = $1`, [id]);
    expect(r.rowCount).toBe(1);
  };

  it('reports a Patient renamed and re-dated behind the API as changed, naming each field path', async () => {
    const kept = await acknowledged('Keep');
    const renamed = await acknowledged('Rename');
    await behindTheApi(renamed.id, `jsonb_set(jsonb_set(content, '{name,0,family}', '"Renamed"'), '{birthDate}', '"1999-09-09"')`);
    const result = await verifyLedger([kept, renamed], base());
    expect(result).toMatchObject({ checked: 2, clean: false, missing: [], unreadable: [] });
    expect(result.changed.map((p) => p.id)).toEqual([renamed.id]);
    expect(result.changed[0]!.changes).toEqual([
      { path: 'birthDate', before: '"1980-02-03"', after: '"1999-09-09"' },
      { path: 'name[0].family', before: '"Rename"', after: '"Renamed"' },
    ]);
    expect(result.changed[0]!.detail).toBe('birthDate: "1980-02-03" → "1999-09-09"; name[0].family: "Rename" → "Renamed"');
  });

  it('reports a field added or removed behind the API, and ignores server-managed meta and text', async () => {
    const dropped = await acknowledged('Drop');
    await behindTheApi(dropped.id, `content - 'gender'`);
    const touched = await acknowledged('Touch');
    await behindTheApi(touched.id, `jsonb_set(content, '{meta}', '{"versionId":"7","lastUpdated":"2030-01-01T00:00:00Z"}') || '{"text":{"status":"generated","div":"<div>x</div>"}}'`);
    const result = await verifyLedger([dropped, touched], base());
    expect(result.changed.map((p) => [p.id, p.detail])).toEqual([[dropped.id, 'gender: "female" → (absent)']]);
  });

  it('compares only the elements a step names in ledger.compare (plus resourceType and id)', async () => {
    const full = await acknowledged('Only');
    const named: AcknowledgedWrite = { ...full, compare: ['name', 'birthDate'], keyFields: resourceFields((await fhir(`${base()}/fhir/Patient/${full.id}`)).body, ['name', 'birthDate']) };
    expect(Object.keys(named.keyFields).sort()).toEqual(['birthDate', 'id', 'name[0].family', 'name[0].given[0]', 'resourceType']);
    await behindTheApi(full.id, `content - 'gender'`);
    expect(await verifyLedger([named], base())).toMatchObject({ clean: true });
    await behindTheApi(full.id, `jsonb_set(content, '{name,0,given,0}', '"Other"')`);
    const result = await verifyLedger([named], base());
    expect(result.changed.map((p) => p.detail)).toEqual(['name[0].given[0]: "Test" → "Other"']);
  });

  it('passes a Patient updated through the API to the same content (only meta changed)', async () => {
    const same = await acknowledged('Same');
    const read = await fhir(`${base()}/fhir/Patient/${same.id}`);
    const put = await fhir(`${base()}/fhir/Patient/${same.id}`, { method: 'PUT', body: read.body });
    expect(put.status).toBe(200);
    expect(put.body.meta.versionId).toBe('2');
    expect(await verifyLedger([same], base())).toMatchObject({ clean: true, changed: [] });
  });
});
