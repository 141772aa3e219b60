/** @module plan: SLOs count HTTP requests or HL7 messages (`events`), never a mix — each wrong pairing names its line. */
import { describe, expect, it } from 'vitest';
import { PlanError } from '../core/index.js';
import { parsePlan } from './index.js';

const PLAN = (slo: string): string => [
  'name: feed', //                                            1
  'target: { baseUrl: http://127.0.0.1:8080 }', //            2
  'scenarios:', //                                            3
  '  adt:', //                                                4
  '    executor: constant-vus', //                            5
  '    vus: 1', //                                            6
  '    duration: 5s', //                                      7
  '    steps:', //                                            8
  '      - name: admit', //                                   9
  '        mllp: { address: 127.0.0.1:2575, message: ADT^A01 }', // 10
  '  web:', //                                                11
  '    executor: constant-vus', //                            12
  '    vus: 1', //                                            13
  '    duration: 5s', //                                      14
  '    steps:', //                                            15
  '      - name: read', //                                    16
  '        request: { method: GET, path: /fhir/metadata }', // 17
  'slos:', //                                                 18
  slo, //                                                     19
].join('\n');

function issuesOf(text: string): PlanError['issues'] {
  try {
    parsePlan(text, 'feed.yaml');
  } catch (err) {
    if (err instanceof PlanError) return err.issues;
    throw err;
  }
  return [];
}

describe('slos[].events', () => {
  it('accepts an HL7 availability SLO and an HL7 latency SLO on an mllp step, and HTTP SLOs beside them', () => {
    expect(issuesOf(PLAN('  - { name: acked, objective: 99%, sli: availability, events: hl7, filter: { scenario: adt, request: admit } }'))).toEqual([]);
    expect(issuesOf(PLAN('  - { name: fast, objective: 99%, sli: { latency: 300ms }, events: hl7 }'))).toEqual([]);
    expect(issuesOf(PLAN('  - { name: web, objective: 99%, sli: availability, filter: { scenario: web } }'))).toEqual([]);
    const plan = parsePlan(PLAN('  - { name: acked, objective: 99%, sli: availability, events: hl7 }'), 'feed.yaml');
    expect(plan.slos[0]?.events).toBe('hl7');
    expect(parsePlan(PLAN('  - { name: web, objective: 99%, sli: availability }'), 'feed.yaml').slos[0]?.events).toBe('http');
  });

  it.each([
    ['an HL7 SLO on a scenario without mllp steps', '  - { name: x, objective: 99%, sli: availability, events: hl7, filter: { scenario: web } }', 'slos.0.events', /scenario "web" has no mllp step/, /add an mllp step/],
    ['an HTTP SLO on a scenario with only mllp steps', '  - { name: x, objective: 99%, sli: availability, filter: { scenario: adt } }', 'slos.0.filter.scenario', /scenario "adt" sends none \(only mllp steps\)/, /events: hl7/],
    ['an HL7 SLO filtered to an HTTP request', '  - { name: x, objective: 99%, sli: availability, events: hl7, filter: { request: read } }', 'slos.0.filter.request', /"read" is an HTTP request, but this SLO counts HL7 messages/, /drop events: hl7/],
    ['an HTTP SLO filtered to an mllp step', '  - { name: x, objective: 99%, sli: availability, filter: { request: admit } }', 'slos.0.filter.request', /"admit" is an mllp step, but this SLO counts HTTP requests/, /add events: hl7/],
    ['an HL7 SLO on a misspelt mllp step', '  - { name: x, objective: 99%, sli: availability, events: hl7, filter: { request: admt } }', 'slos.0.filter.request', /no mllp step named "admt"/, /admit/],
    ['an HL7 SLO on server spans', '  - { name: x, objective: 99%, sli: availability, events: hl7, filter: { service: fhir-api } }', 'slos.0.filter.service', /counts one or the other/, /drop filter.service/],
    ['an HL7 latency SLO from the intended start', '  - { name: x, objective: 99%, sli: { latency: 300ms, from: intended }, events: hl7 }', 'slos.0.sli.from', /HTTP requests only/, /drop sli.from/],
  ])('refuses %s (line 19, with a hint)', (_title, slo, path, message, hint) => {
    const issue = issuesOf(PLAN(slo)).find((i) => i.path === path);
    expect(issue, JSON.stringify(issuesOf(PLAN(slo)))).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(issue?.hint).toMatch(hint);
    expect(issue?.line).toBe(19);
  });
});
