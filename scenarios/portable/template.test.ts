import { describe, expect, it } from 'vitest';
import { readJsonPath } from './json-path.js';
import { render, renderText, TemplateError } from './template.js';

describe('templates', () => {
  const scope = { patientId: '42', n: 7, synthetic: { patient: { resourceType: 'Patient', name: [{ family: 'Quorvath-Synth' }] } } };
  it('keeps a whole-placeholder value as is and interpolates mixed strings', () => {
    expect(render('{{ synthetic.patient }}', scope)).toEqual(scope.synthetic.patient);
    expect(render({ ref: 'Patient/{{ patientId }}', v: '{{ n }}', list: ['{{synthetic.patient.name[0].family}}'] }, scope)).toEqual({ ref: 'Patient/42', v: 7, list: ['Quorvath-Synth'] });
    expect(renderText('/x/{{ n }}', scope)).toBe('/x/7');
  });
  it('throws TemplateError for a value that was never saved', () => {
    expect(() => render('/fhir/Patient/{{ missing }}', scope)).toThrow(TemplateError);
  });
});

describe('readJsonPath', () => {
  const doc = { entry: [{ resource: { id: 'a' } }], link: [{ relation: 'self', url: 's' }, { relation: 'next', url: 'n' }], 'odd-key': 1, zero: 0 };
  it('reads keys, indexes, bracket keys and equality filters', () => {
    expect(readJsonPath(doc, '$.entry[0].resource.id')).toEqual({ found: true, value: 'a' });
    expect(readJsonPath(doc, "$.link[?(@.relation=='next')].url")).toEqual({ found: true, value: 'n' });
    expect(readJsonPath(doc, "$['odd-key']")).toEqual({ found: true, value: 1 });
    expect(readJsonPath(doc, '$.zero')).toEqual({ found: true, value: 0 });
  });
  it('reports missing paths as not found instead of throwing', () => {
    expect(readJsonPath(doc, '$.entry[3].resource')).toEqual({ found: false });
    expect(readJsonPath(doc, "$.link[?(@.relation=='prev')].url")).toEqual({ found: false });
    expect(readJsonPath('not an object', '$.a')).toEqual({ found: false });
    expect(readJsonPath(doc, 'entry')).toEqual({ found: false });
  });
});
