/** @module demo/fhir-api: the FHIR endpoint suite every database backend runs (real PostgreSQL, embedded PGlite). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LegacyEhr } from '../legacy-ehr/ehr-service.js';
import { fhir, patient } from '../testing/fhir-client.js';
import type { FhirApi } from './app.js';

/** What the suite needs from its setup. */
export interface SuiteContext {
  readonly api: FhirApi;
  readonly ehr: LegacyEhr;
}

/** Registers the suite; `ctx()` returns the running API once beforeAll has started it. */
export function runFhirConformance(ctx: () => SuiteContext): void {
  const base = (): string => `${ctx().api.url}/fhir`;
  const create = async (body: Record<string, unknown>) => {
    const r = await fhir(`${base()}/${String(body.resourceType)}`, { body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string } & Record<string, unknown>;
  };

  describe('CRUD', () => {
    it('serves a CapabilityStatement at /fhir/metadata', async () => {
      const r = await fhir(`${base()}/metadata`);
      expect(r.body.resourceType).toBe('CapabilityStatement');
      expect(r.body.rest[0].resource.map((x: { type: string }) => x.type)).toEqual(['Patient', 'Encounter', 'Observation', 'Slot', 'Appointment']);
    });

    it('creates with 201 + Location carrying the id, reads it back, updates it to version 2', async () => {
      const r = await fhir(`${base()}/Patient`, { body: patient('Crud') });
      expect(r.status).toBe(201);
      expect(r.headers.get('location')).toBe(`${base()}/Patient/${String(r.body.id)}/_history/1`);
      expect(r.headers.get('content-type')).toContain('application/fhir+json');
      const read = await fhir(`${base()}/Patient/${String(r.body.id)}`);
      expect(read.body).toMatchObject({ resourceType: 'Patient', id: r.body.id, name: [{ family: 'Crud' }] });
      const put = await fhir(`${base()}/Patient/${String(r.body.id)}`, { method: 'PUT', body: { ...patient('Crud2'), id: r.body.id } });
      expect(put.status).toBe(200);
      expect(put.body.meta.versionId).toBe('2');
      expect((await fhir(`${base()}/Patient/${String(r.body.id)}`)).body.name[0].family).toBe('Crud2');
    });

    it('accepts application/json and creates on PUT to a new id (201)', async () => {
      const id = `p-${randomUUID().slice(0, 8)}`;
      const r = await fhir(`${base()}/Patient/${id}`, { method: 'PUT', body: JSON.stringify(patient('Put')), headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(201);
      expect(r.body.id).toBe(id);
    });

    it('answers 404 OperationOutcome for an unknown id and an unknown type', async () => {
      const a = await fhir(`${base()}/Patient/does-not-exist`);
      const b = await fhir(`${base()}/Medication`);
      expect([a.status, b.status]).toEqual([404, 404]);
      expect([a.body.resourceType, b.body.resourceType]).toEqual(['OperationOutcome', 'OperationOutcome']);
    });
  });

  describe('validation', () => {
    const cases: [string, string, unknown, Record<string, string>, number][] = [
      ['malformed JSON', 'Patient', '{"resourceType": "Patient",', {}, 400],
      ['a non-JSON content type', 'Patient', JSON.stringify(patient('X')), { 'content-type': 'text/plain' }, 415],
      ['a resourceType that does not match the URL', 'Patient', { resourceType: 'Observation' }, {}, 400],
      ['a JSON array', 'Patient', [1, 2], {}, 400],
      ['wrong types', 'Patient', { resourceType: 'Patient', name: 'Doe', birthDate: 19800101 }, {}, 422],
      ['a Patient with neither name nor identifier', 'Patient', { resourceType: 'Patient', gender: 'female' }, {}, 422],
      ['an Encounter missing status and subject', 'Encounter', { resourceType: 'Encounter', class: { code: 'IMP' } }, {}, 422],
      ['an Observation with an invalid code', 'Observation', { resourceType: 'Observation', status: 'final', code: { coding: [] }, subject: { reference: 'Patient/x' } }, {}, 422],
      ['a Slot whose end is before its start', 'Slot', { resourceType: 'Slot', schedule: { reference: 'Schedule/a' }, status: 'free', start: '2026-12-01T10:00:00Z', end: '2026-12-01T09:00:00Z' }, {}, 422],
      ['a reference of the wrong type', 'Observation', { resourceType: 'Observation', status: 'final', code: { coding: [{ code: '1' }] }, subject: { reference: 'Slot/1' } }, {}, 422],
      ['a reference to a missing Patient', 'Observation', { resourceType: 'Observation', status: 'final', code: { coding: [{ code: '1' }] }, subject: { reference: 'Patient/missing-1' } }, {}, 422],
    ];
    it.each(cases)('rejects %s with an OperationOutcome, never 500', async (_name, type, body, headers, status) => {
      const r = await fhir(`${base()}/${type}`, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/fhir+json', ...headers } });
      expect(r.status).toBe(status);
      expect(r.body.resourceType).toBe('OperationOutcome');
      expect(r.body.issue.length).toBeGreaterThan(0);
    });

    it('names every bad field in its expression', async () => {
      const r = await fhir(`${base()}/Patient`, { body: { resourceType: 'Patient', name: 'Doe', birthDate: 19800101 } });
      expect(r.body.issue.map((i: { expression: string[] }) => i.expression[0]).sort()).toEqual(['Patient.birthDate', 'Patient.name']);
    });

    it('rejects an unknown search parameter and a bad _count with 400', async () => {
      expect((await fhir(`${base()}/Patient?colour=blue`)).status).toBe(400);
      expect((await fhir(`${base()}/Patient?_count=-1`)).status).toBe(400);
    });
  });

  describe('search', () => {
    it('pages with _count and next links until every match was seen once', async () => {
      const family = `Page${randomUUID().slice(0, 6)}`;
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await create(patient(family))).id);
      const seen: string[] = [];
      let url: string | undefined = `${base()}/Patient?name=${family.toLowerCase()}&_count=2`;
      let pages = 0;
      while (url) {
        const page = await fhir(url);
        expect(page.body.total).toBe(5);
        seen.push(...page.body.entry.map((e: { resource: { id: string } }) => e.resource.id));
        url = page.body.link.find((l: { relation: string }) => l.relation === 'next')?.url;
        pages += 1;
      }
      expect(pages).toBe(3);
      expect(new Set(seen)).toEqual(ids);
    });

    it('searches by _id: the total counts what exists, on a page with room for every id and on smaller pages', async () => {
      const family = `Ids${randomUUID().slice(0, 6)}`;
      const made = [(await create(patient(family))).id, (await create(patient(family))).id, (await create(patient(family))).id];
      const asked = [...made, randomUUID(), made[0] as string].join(',');
      const all = await fhir(`${base()}/Patient?_id=${asked}&_count=5`);
      expect(all.body.total).toBe(3);
      expect(all.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(made);
      expect(all.body.link.some((l: { relation: string }) => l.relation === 'next')).toBe(false);
      const first = await fhir(`${base()}/Patient?_id=${asked}&_count=2`);
      expect(first.body.total).toBe(3);
      expect(first.body.entry).toHaveLength(2);
      expect(first.body.link.some((l: { relation: string }) => l.relation === 'next')).toBe(true);
      const withName = await fhir(`${base()}/Patient?_id=${asked}&name=nobody${family}&_count=100`);
      expect([withName.body.total, withName.body.entry ?? []]).toEqual([0, []]);
    });

    it('finds a Patient by the R4 family and given parameters, each matching its own name part only', async () => {
      const tag = randomUUID().slice(0, 6);
      const p = await create(patient(`Fam${tag}`, { name: [{ family: `Fam${tag}`, given: [`Giv${tag}`, 'Second'] }] }));
      const other = await create(patient(`Giv${tag}x`, { name: [{ family: `Giv${tag}x`, given: [`Fam${tag}y`] }] }));
      const ids = async (q: string): Promise<string[]> =>
        ((await fhir(`${base()}/Patient?${q}`)).body.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id).sort();
      expect(await ids(`family=fam${tag}`)).toEqual([p.id]);
      expect(await ids(`given=Giv${tag}`)).toEqual([p.id]);
      expect(await ids(`family=Fam${tag}&given=giv${tag}`)).toEqual([p.id]);
      expect(await ids(`name=fam${tag}`)).toEqual([p.id, other.id].sort());
      expect(await ids(`given=Nobody${tag}`)).toEqual([]);
    });

    it('finds a Patient by `name` through any part (text too), by a prefix of 70 characters, and takes % and _ literally', async () => {
      const tag = randomUUID().slice(0, 6);
      const long = `Long${tag}${'x'.repeat(80)}`;
      const byText = await create(patient(`Txt${tag}`, { name: [{ text: `Dr Txt${tag} Roe`, family: `Roe${tag}` }] }));
      const byLong = await create(patient(long, { name: [{ family: long }] }));
      const odd = await create(patient(`Pct${tag}`, { name: [{ family: `Pct${tag}%_z` }] }));
      const ids = async (q: string): Promise<string[]> =>
        ((await fhir(`${base()}/Patient?${q}`)).body.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id).sort();
      expect(await ids(`name=${encodeURIComponent(`dr txt${tag}`)}`)).toEqual([byText.id]);
      expect(await ids(`name=${long.slice(0, 70).toUpperCase()}`)).toEqual([byLong.id]);
      expect(await ids(`name=${long}y`)).toEqual([]);
      expect(await ids(`name=${encodeURIComponent(`pct${tag}%_`)}`)).toEqual([odd.id]);
      expect(await ids(`name=${encodeURIComponent(`pct${tag}__`)}`)).toEqual([]);
    });

    it('finds an updated Patient by its new name only, and keeps one hit per Patient when two name parts match', async () => {
      const tag = randomUUID().slice(0, 6);
      const p = await create(patient(`Old${tag}`, { name: [{ family: `Old${tag}`, given: [`Old${tag}a`] }] }));
      const ids = async (q: string): Promise<{ total: number; ids: string[] }> => {
        const body = (await fhir(`${base()}/Patient?${q}`)).body;
        return { total: body.total, ids: (body.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id) };
      };
      expect(await ids(`name=old${tag}`)).toEqual({ total: 1, ids: [p.id] });
      const put = await fhir(`${base()}/Patient/${p.id}`, { method: 'PUT', body: { ...patient(`New${tag}`), id: p.id } });
      expect(put.status).toBe(200);
      expect(await ids(`name=old${tag}`)).toEqual({ total: 0, ids: [] });
      expect(await ids(`family=new${tag}`)).toEqual({ total: 1, ids: [p.id] });
    });

    it('finds a Patient by identifier (value and system|value)', async () => {
      const value = randomUUID();
      const p = await create(patient('Ident', { identifier: [{ system: 'urn:mrn', value }] }));
      for (const q of [value, `urn:mrn|${value}`]) {
        const r = await fhir(`${base()}/Patient?identifier=${encodeURIComponent(q)}`);
        expect(r.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([p.id]);
      }
    });

    it('searches Observations by patient and code, merges EHR lab results, and _include adds the Patient', async () => {
      const p = await create(patient('Obs'));
      await create({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, subject: { reference: `Patient/${p.id}` }, valueQuantity: { value: 70, unit: 'kg' } });
      const all = await fhir(`${base()}/Observation?patient=${p.id}&_include=Observation:patient`);
      expect(all.headers.get('x-ehr-results')).toBe('fresh');
      expect(all.body.total).toBe(4); // 1 posted + 3 pulled from the legacy EHR over MLLP
      expect(all.body.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: { id: string } }) => e.resource.id)).toEqual([p.id]);
      expect((await fhir(`${base()}/Observation?patient=${p.id}`)).body.total).toBe(4); // pulled again, stored once
      const byCode = await fhir(`${base()}/Observation?patient=Patient/${p.id}&code=http://loinc.org|8867-4`);
      expect(byCode.body.entry.map((e: { resource: { code: { coding: { code: string }[] } } }) => e.resource.code.coding[0]?.code)).toEqual(['8867-4']);
    });

    it('searches Slots by status and start', async () => {
      const schedule = `Schedule/${randomUUID().slice(0, 8)}`;
      for (const [start, status] of [['2030-01-01T09:00:00Z', 'free'], ['2030-01-01T10:00:00Z', 'free'], ['2030-01-01T11:00:00Z', 'busy']] as const) {
        await create({ resourceType: 'Slot', schedule: { reference: schedule }, status, start, end: start.replace(':00:00Z', ':15:00Z') });
      }
      const r = await fhir(`${base()}/Slot?schedule=${schedule}&status=free&start=ge2030-01-01T09:30:00Z`);
      expect(r.body.entry.map((e: { resource: { start: string } }) => e.resource.start)).toEqual(['2030-01-01T10:00:00Z']);
    });
  });

  describe('transaction Bundle', () => {
    it('commits every entry with urn:uuid references resolved', async () => {
      const pu = `urn:uuid:${randomUUID()}`;
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'x' }] }, subject: { reference: pu } } },
          { fullUrl: pu, request: { method: 'POST', url: 'Patient' }, resource: patient('Txn') },
        ],
      };
      const r = await fhir(`${base()}`, { body: bundle });
      expect(r.status).toBe(200);
      expect(r.body.type).toBe('transaction-response');
      const [obs, pat] = r.body.entry;
      expect(obs.response.status).toBe('201 Created');
      expect(obs.resource.subject.reference).toBe(`Patient/${String(pat.resource.id)}`);
      expect((await fhir(`${base()}/Observation/${String(obs.resource.id)}`)).status).toBe(200);
    });

    it('stores nothing when one entry fails', async () => {
      const value = randomUUID();
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { request: { method: 'POST', url: 'Patient' }, resource: patient('TxnFail', { identifier: [{ value }] }) },
          { request: { method: 'POST', url: 'Encounter' }, resource: { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: 'Patient/nope' } } },
        ],
      };
      const r = await fhir(`${base()}`, { body: bundle });
      expect(r.status).toBe(422);
      expect(r.body.issue[0].diagnostics).toContain('Bundle.entry[1]');
      expect((await fhir(`${base()}/Patient?identifier=${value}`)).body.total).toBe(0);
    });

    it('rejects a batch Bundle with 400', async () => {
      expect((await fhir(`${base()}`, { body: { resourceType: 'Bundle', type: 'batch', entry: [] } })).status).toBe(400);
    });
  });

  describe('appointments', () => {
    it('lets exactly one of concurrent bookings of a Slot win; the others get 409 OperationOutcome', async () => {
      const p = await create(patient('Booker'));
      const slot = await create({ resourceType: 'Slot', schedule: { reference: 'Schedule/c' }, status: 'free', start: '2030-02-01T09:00:00Z', end: '2030-02-01T09:15:00Z' });
      const appt = { resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${slot.id}` }], participant: [{ actor: { reference: `Patient/${p.id}` }, status: 'accepted' }] };
      const results = await Promise.all(Array.from({ length: 8 }, () => fhir(`${base()}/Appointment`, { body: appt })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(results.find((r) => r.status === 409)?.body.issue[0].code).toBe('conflict');
      expect((await fhir(`${base()}/Slot/${slot.id}`)).body.status).toBe('busy');
      const winner = results.find((r) => r.status === 201)?.body as { id: string };
      const cancelled = await fhir(`${base()}/Appointment/${winner.id}`, { method: 'PUT', body: { ...appt, id: winner.id, status: 'cancelled' } });
      expect(cancelled.status).toBe(200);
      expect((await fhir(`${base()}/Slot/${slot.id}`)).body.status).toBe('free');
    });
  });

  describe('EHR admit and the outbox', () => {
    it('sends ADT^A01 to the legacy EHR when an Encounter is created', async () => {
      const p = await create(patient('Admit'));
      const r = await fhir(`${base()}/Encounter`, { body: { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: `Patient/${p.id}` } } });
      expect(r.status).toBe(201);
      expect(r.headers.get('x-ehr-admit')).toBe('acked');
      expect(ctx().ehr.state.admits.get(String(r.body.id))?.patientId).toBe(p.id);
    });

    it('ingests an Observation asynchronously: 202 with its id, stored once the worker runs', async () => {
      const p = await create(patient('Async'));
      const r = await fhir(`${base()}/Observation`, { body: { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'hr' }] }, subject: { reference: `Patient/${p.id}` } }, headers: { prefer: 'respond-async' } });
      expect(r.status).toBe(202);
      const location = r.headers.get('location') ?? '';
      expect(location).toBe(`${base()}/Observation/${String(r.body.id)}`);
      expect((await fhir(location)).status).toBe(404);
      expect(await ctx().api.worker?.tick()).toBeGreaterThanOrEqual(1);
      expect((await fhir(location)).body.subject.reference).toBe(`Patient/${p.id}`);
    });

    it('validates async ingestion up front (bad reference → 422, nothing queued)', async () => {
      const r = await fhir(`${base()}/Observation`, { body: { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'hr' }] }, subject: { reference: 'Patient/ghost' } }, headers: { prefer: 'respond-async' } });
      expect(r.status).toBe(422);
    });
  });

  describe('health', () => {
    it('reports database, EHR link and breaker state', async () => {
      const r = await fhir(`${ctx().api.url}/health/ready`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'ok', service: 'fhir-api', ready: true, dependencies: { database: { status: 'up', migrated: true }, ehr: { status: 'up', link: { breaker: 'closed' } } } });
    });
  });
}
