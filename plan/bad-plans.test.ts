/** @module plan: the bad-input table — each bad plan names its line, its key and what to do. */
import { describe, expect, it } from 'vitest';
import { PlanError, isCodeblueError } from '../core/index.js';
import { parsePlan } from './index.js';

const BASE = [
  'name: t', //                                          1
  'target:', //                                          2
  '  baseUrl: http://127.0.0.1:8080', //                 3
  'proxies:', //                                         4
  '  - name: ehr', //                                    5
  '    listen: 127.0.0.1:21001', //                      6
  '    upstream: 127.0.0.1:7001', //                     7
  'phases: { baseline: 10s, fault: 10s, recovery: 10s }', // 8
  'scenarios:', //                                       9
  '  s1:', //                                            10
  '    executor: constant-vus', //                       11
  '    vus: 2', //                                       12
  '    duration: 30s', //                                13
  '    flow: fhir/clinician-dashboard', //               14
  'faults:', //                                          15
  '  - proxy: ehr', //                                   16
  '    toxic: latency', //                               17
  '    attributes: { latency: 100 }', //                 18
  'thresholds:', //                                      19
  '  http_req_failed: ["rate<0.01"]', //                 20
];

/** The base plan with line `n` (1-based) replaced; extra lines may follow in the same string. */
const line = (n: number, text: string): string => BASE.map((l, i) => (i === n - 1 ? text : l)).join('\n');
const append = (text: string): string => `${BASE.join('\n')}\n${text}`;

interface Row {
  readonly title: string;
  readonly text: string | Uint8Array;
  readonly line: number;
  readonly message: RegExp;
  readonly path?: string;
  readonly hint?: RegExp;
}

const ROWS: Row[] = [
  // wrong types
  { title: 'name is a number', text: line(1, 'name: 42'), line: 1, path: 'name', message: /expected string, got 42/ },
  { title: 'target is a string', text: line(2, 'target: http://x') .replace('  baseUrl: http://127.0.0.1:8080\n', ''), line: 2, path: 'target', message: /expected object, got "http/ },
  { title: 'baseUrl is not a URL', text: line(3, '  baseUrl: not a url'), line: 3, path: 'target.baseUrl', message: /http\(s\) URL/ },
  { title: 'baseUrl has another scheme', text: line(3, '  baseUrl: ftp://127.0.0.1'), line: 3, path: 'target.baseUrl', message: /http\(s\) URL/ },
  { title: 'vus is a string', text: line(12, '    vus: two'), line: 12, path: 'scenarios.s1.vus', message: /expected number, got "two"/ },
  { title: 'vus is zero', text: line(12, '    vus: 0'), line: 12, path: 'scenarios.s1.vus', message: /at least 1, but is 0/ },
  { title: 'vus is fractional', text: line(12, '    vus: 1.5'), line: 12, path: 'scenarios.s1.vus', message: /int/ },
  { title: 'proxies is a map', text: line(4, 'proxies: { ehr: 1 }').replace(/ {2}- name: ehr\n {4}listen: 127.0.0.1:21001\n {4}upstream: 127.0.0.1:7001\n/, ''), line: 4, path: 'proxies', message: /expected array, got a map/ },
  { title: 'toxicity above 1', text: line(17, '    toxic: latency\n    toxicity: 1.5'), line: 18, path: 'faults.0.toxicity', message: /at most 1, but is 1.5/ },
  { title: 'toxicity negative', text: line(17, '    toxic: latency\n    toxicity: -0.1'), line: 18, path: 'faults.0.toxicity', message: /at least 0/ },
  { title: 'latency negative', text: line(18, '    attributes: { latency: -5 }'), line: 18, path: 'faults.0.attributes.latency', message: /at least 0, but is -5/ },
  { title: 'latency is a string', text: line(18, '    attributes: { latency: "slow" }'), line: 18, path: 'faults.0.attributes.latency', message: /expected number, got "slow"/ },
  { title: 'stream misspelt', text: line(17, '    toxic: latency\n    stream: downstrem'), line: 18, path: 'faults.0.stream', message: /expected one of "upstream", "downstream"/, hint: /did you mean "downstream"\?/ },
  { title: 'ledger sample of zero', text: append('ledger: { maxRecords: 0 }'), line: 21, path: 'ledger.maxRecords', message: /at least 1, but is 0/ },
  { title: 'ledger key misspelt', text: append('ledger: { maxRecord: 10 }'), line: 21, path: 'ledger.maxRecord', message: /unknown key "maxRecord"/, hint: /did you mean "maxRecords"\?/ },
  { title: 'outputs has an unknown format', text: append('outputs: [json, pdf]'), line: 21, path: 'outputs.1', message: /expected one of/ },
  { title: 'outputs names the forms it accepts', text: append('outputs: [pdf]'), line: 21, path: 'outputs.0', message: /"pdf" is not allowed here: expected one of .*"prometheus-rw" or a map/ },
  { title: 'remote-write trend stat unknown', text: append('outputs:\n  - { type: prometheus-rw, trendStats: ["p(101)"] }'), line: 22, path: 'outputs.0.trendStats.0', message: /expected a trend stat: avg, min, med, max, count, sum or p\(N\)/ },
  { title: 'remote-write key misspelt', text: append('outputs:\n  - type: prometheus-rw\n    pushIntervall: 1s'), line: 23, path: 'outputs.0.pushIntervall', message: /unknown key "pushIntervall"/, hint: /did you mean "pushInterval"\?/ },
  { title: 'remote-write url not http', text: append('outputs:\n  - type: prometheus-rw\n    url: ftp://x/api/v1/write'), line: 23, path: 'outputs.0.url', message: /not a valid url|http\(s\) URL/ },
  { title: 'seed is a string', text: append('seed: abc'), line: 21, path: 'seed', message: /expected number/ },
  { title: 'thresholds value is a string', text: line(20, '  http_req_failed: "rate<0.01"'), line: 20, path: 'thresholds.http_req_failed', message: /expected array/ },
  { title: 'threshold list is empty', text: line(20, '  http_req_failed: []'), line: 20, path: 'thresholds.http_req_failed', message: /at least 1 item/ },
  { title: 'allowHosts is a string', text: append('safety: { allowHosts: example.org }'), line: 21, path: 'safety.allowHosts', message: /expected array/ },
  { title: 'halt errorRate above 1', text: append('safety: { halt: { errorRate: 1.5 } }'), line: 21, path: 'safety.halt.errorRate', message: /ratio/ },
  { title: 'slo objective is not a ratio', text: append('slos:\n  - { name: a, objective: lots, sli: availability }'), line: 22, path: 'slos.0.objective', message: /ratio like "99.95%"/ },
  { title: 'slo objective above 100%', text: append('slos:\n  - { name: a, objective: 120%, sli: availability }'), line: 22, path: 'slos.0.objective', message: /ratio/ },
  { title: 'slo sli unknown', text: append('slos:\n  - { name: a, objective: 99%, sli: throughput }'), line: 22, path: 'slos.0.sli', message: /not allowed here|expected/ },
  { title: 'hypothesis expect status out of range', text: append('hypothesis:\n  - { name: h, request: { path: /health }, expect: { status: 999 } }'), line: 22, path: 'hypothesis.0.expect.status', message: /at most 599/ },
  { title: 'request method unknown', text: line(14, '    steps:\n      - name: a\n        request: { method: FETCH, path: /x }'), line: 16, path: 'scenarios.s1.steps.0.request.method', message: /expected one of/ },
  { title: 'request path without slash', text: line(14, '    steps:\n      - name: a\n        request: { path: fhir }'), line: 16, path: 'scenarios.s1.steps.0.request.path', message: /must start with "\/"/ },
  { title: 'request with json and body', text: line(14, '    steps:\n      - name: a\n        request: { path: /x, json: {}, body: x }'), line: 16, path: 'scenarios.s1.steps.0.request', message: /either json or body/ },
  { title: 'check json path without $', text: line(14, '    steps:\n      - name: a\n        request: { path: /x }\n        check: { json: { id: 1 } }'), line: 17, path: 'scenarios.s1.steps.0.check.json.id', message: /starts with "\$"/ },
  { title: 'save name is not an identifier', text: line(14, '    steps:\n      - name: a\n        request: { path: /x }\n        save: { "1x": "$.id" }'), line: 17, path: 'scenarios.s1.steps.0.save.1x', message: /identifier/ },
  { title: 'empty steps', text: line(14, '    steps: []'), line: 14, path: 'scenarios.s1.steps', message: /at least 1 item/ },
  // unknown keys
  { title: 'unknown top-level key', text: append('scenarious: {}'), line: 21, path: 'scenarious', message: /unknown key "scenarious"/, hint: /did you mean "scenarios"\?/ },
  { title: 'unknown target key', text: line(3, '  baseUrl: http://127.0.0.1:8080\n  helth: /h'), line: 4, path: 'target.helth', message: /unknown key "helth"/, hint: /did you mean "health"\?/ },
  { title: 'unknown scenario option', text: line(12, '    vu: 2'), line: 12, path: 'scenarios.s1.vu', message: /unknown key "vu"/, hint: /did you mean "vus"\?/ },
  { title: 'arrival-rate option on a VU executor', text: line(12, '    vus: 2\n    rate: 5'), line: 13, path: 'scenarios.s1.rate', message: /unknown key "rate"/ },
  { title: 'unknown proxy key', text: line(7, '    upstream: 127.0.0.1:7001\n    lisen: 1'), line: 8, path: 'proxies.0.lisen', message: /unknown key "lisen"/, hint: /did you mean "listen"\?/ },
  { title: 'unknown fault key', text: line(17, '    toxic: latency\n    duraton: 5s'), line: 18, path: 'faults.0.duraton', message: /unknown key "duraton"/, hint: /did you mean "duration"\?/ },
  { title: 'unknown toxic attribute', text: line(18, '    attributes: { latncy: 100 }'), line: 18, path: 'faults.0.attributes.latncy', message: /unknown attribute "latncy" for toxic latency/, hint: /latency, jitter/ },
  { title: 'unknown phase', text: line(8, 'phases: { baseline: 10s, fault: 10s, recovery: 10s, cooldown: 5s }'), line: 8, path: 'phases.cooldown', message: /unknown key "cooldown"/ },
  { title: 'unknown safety key', text: append('safety:\n  maxDurtion: 5m'), line: 22, path: 'safety.maxDurtion', message: /unknown key/, hint: /did you mean "maxDuration"\?/ },
  { title: 'unknown chaos key', text: append('chaos:\n  toxiproxy: http://127.0.0.1:8474'), line: 22, path: 'chaos.toxiproxy', message: /unknown key "toxiproxy"/ },
  { title: 'unknown check key', text: line(14, '    steps:\n      - name: a\n        request: { path: /x }\n        check: { code: 200 }'), line: 17, path: 'scenarios.s1.steps.0.check.code', message: /unknown key "code"/ },
  // enums and discriminators
  { title: 'misspelt executor', text: line(11, '    executor: ramping-arival-rate'), line: 11, path: 'scenarios.s1.executor', message: /unknown executor "ramping-arival-rate"/, hint: /did you mean "ramping-arrival-rate"\?/ },
  { title: 'executor missing', text: line(11, '    startTime: 0s'), line: 10, path: 'scenarios.s1.executor', message: /^required — add it, e\.g\. executor: shared-iterations \(one of shared-iterations, per-vu-iterations/ },
  { title: 'unknown toxic type', text: line(17, '    toxic: latancy'), line: 17, path: 'faults.0.toxic', message: /expected one of/, hint: /did you mean "latency"\?/ },
  { title: 'proxy protocol unknown', text: line(7, '    upstream: 127.0.0.1:7001\n    protocol: grpc'), line: 8, path: 'proxies.0.protocol', message: /expected one of "tcp", "http"/ },
  // durations
  { title: 'duration without unit letters', text: line(13, '    duration: 30 seconds'), line: 13, path: 'scenarios.s1.duration', message: /duration like "30s"/ },
  { title: 'duration with a space', text: line(13, '    duration: 1m 30s'), line: 13, path: 'scenarios.s1.duration', message: /duration like/ },
  { title: 'duration zero', text: line(13, '    duration: 0s'), line: 13, path: 'scenarios.s1.duration', message: /more than 0s/ },
  { title: 'duration negative number', text: line(13, '    duration: -5'), line: 13, path: 'scenarios.s1.duration', message: /duration like/ },
  { title: 'phase duration garbage', text: line(8, 'phases: { baseline: soon, fault: 10s, recovery: 10s }'), line: 8, path: 'phases.baseline', message: /got "soon"/ },
  { title: 'fault at is garbage', text: line(17, '    toxic: latency\n    at: later'), line: 18, path: 'faults.0.at', message: /time like "30s" or "fault\+10s"/ },
  { title: 'fault at relative to an unknown phase', text: line(17, '    toxic: latency\n    at: warmup+5s'), line: 18, path: 'faults.0.at', message: /time like/ },
  { title: 'think time garbage', text: line(14, '    steps:\n      - name: a\n        request: { path: /x }\n        think: a bit'), line: 17, path: 'scenarios.s1.steps.0.think', message: /duration|not allowed/ },
  // thresholds
  { title: 'threshold expression garbage', text: line(20, '  http_req_failed: ["less than 1%"]'), line: 20, path: 'thresholds.http_req_failed.0', message: /not a threshold expression/, hint: /k6 syntax/ },
  { title: 'percentile above 100', text: line(20, '  http_req_duration: ["p(101)<300"]'), line: 20, path: 'thresholds.http_req_duration.0', message: /outside 0–100/ },
  { title: 'unknown metric', text: line(20, '  http_req_duraton: ["p(95)<300"]'), line: 20, path: 'thresholds.http_req_duraton', message: /no metric named "http_req_duraton"/, hint: /did you mean "http_req_duration"\?/ },
  { title: 'aggregation not for the metric type', text: line(20, '  http_req_failed: ["p(95)<300"]'), line: 20, path: 'thresholds.http_req_failed.0', message: /"p" does not apply to http_req_failed/ },
  { title: 'hl7 threshold on a tag no message carries', text: line(20, '  "hl7_msg_duration{status:200}": ["p(95)<300"]'), line: 20, path: 'thresholds.hl7_msg_duration{status:200}', message: /hl7_msg_duration carries no tag "status", so .* would match nothing and pass on no data; its tags are scenario, name, group, ack, error/, hint: /filter by one of those tags, or write "hl7_msg_duration" without \{…\}/ },
  { title: 'auth token threshold filtered by scenario', text: line(20, '  "auth_token_failed{scenario:s1,name:login}": ["rate<0.01"]'), line: 20, path: 'thresholds.auth_token_failed{scenario:s1,name:login}', message: /auth_token_failed carries no tag "scenario", "name", .*its tags are auth, source, error/, hint: /write "auth_token_failed" without \{…\} to take every token fetch/ },
  { title: 'auth token threshold tag misspelt', text: line(20, '  "auth_token_duration{sorce:target.auth}": ["p(95)<300"]'), line: 20, path: 'thresholds.auth_token_duration{sorce:target.auth}', message: /auth_token_duration carries no tag "sorce"/, hint: /did you mean "source"\?/ },
  { title: 'bad tag filter', text: line(20, '  "http_req_duration{scenario}": ["p(95)<300"]'), line: 20, path: 'thresholds.http_req_duration{scenario}', message: /tag:value/ },
  { title: 'missing operator', text: line(20, '  http_req_duration: ["p(95) 300"]'), line: 20, path: 'thresholds.http_req_duration.0', message: /not a threshold expression/ },
  { title: 'long form without threshold', text: line(20, '  http_req_failed: [{ abortOnFail: true }]'), line: 20, path: 'thresholds.http_req_failed.0.threshold', message: /required — add it/ },
  // cross-field
  { title: 'fault names a missing proxy', text: line(16, '  - proxy: ehrr'), line: 16, path: 'faults.0.proxy', message: /no proxy named "ehrr"/, hint: /did you mean "ehr"\?/ },
  { title: 'fault window outside the run', text: line(17, '    toxic: latency\n    duration: 2m'), line: 18, path: 'faults.0.duration', message: /ends after the run/ },
  { title: 'fault starts after the run', text: line(17, '    toxic: latency\n    at: 5m\n    duration: 1s'), line: 19, path: 'faults.0.duration', message: /ends after the run/ },
  { title: 'phase-relative fault without phases', text: line(8, '# no phases').replace('    toxic: latency', '    toxic: latency\n    duration: 5s'), line: 16, path: 'faults.0.at', message: /no phases/, hint: /add phases/ },
  { title: 'duplicate listen ports', text: line(7, '    upstream: 127.0.0.1:7001\n  - name: pg\n    listen: 127.0.0.1:21001\n    upstream: 127.0.0.1:5432'), line: 9, path: 'proxies.1.listen', message: /port 21001 is already used/ },
  { title: 'duplicate proxy names', text: line(7, '    upstream: 127.0.0.1:7001\n  - name: ehr\n    listen: 127.0.0.1:21002\n    upstream: 127.0.0.1:5432'), line: 8, path: 'proxies.1.name', message: /already used/ },
  { title: 'http toxic on a tcp proxy', text: line(17, '    toxic: http_error').replace('    attributes: { latency: 100 }', '    attributes: { status: 503 }'), line: 17, path: 'faults.0.toxic', message: /proxy "ehr" is tcp/, hint: /protocol: http/ },
  { title: 'scenario longer than maxDuration', text: line(13, '    duration: 2h'), line: 10, path: 'scenarios.s1', message: /more than safety.maxDuration/ },
  { title: 'phases longer than maxDuration', text: line(8, 'phases: { baseline: 10m, fault: 10m, recovery: 20m }'), line: 8, path: 'phases', message: /more than safety.maxDuration/ },
  { title: 'too many VUs', text: line(12, '    vus: 5000'), line: 10, path: 'scenarios.s1', message: /more than safety.maxVUs/ },
  { title: 'maxVUs below preAllocatedVUs', text: line(11, '    executor: constant-arrival-rate\n    rate: 5\n    preAllocatedVUs: 10\n    maxVUs: 2').replace('    vus: 2\n', ''), line: 14, path: 'scenarios.s1.maxVUs', message: /at least preAllocatedVUs/ },
  { title: 'flow and steps together', text: line(14, '    flow: x\n    steps:\n      - { name: a, request: { path: /x } }'), line: 10, path: 'scenarios.s1', message: /exactly one of "flow"/ },
  { title: 'slo latency from the intended start on server spans', text: append('slos:\n  - { name: a, objective: 99%, sli: { latency: 300ms, from: intended }, filter: { service: api } }'), line: 22, path: 'slos.0.sli.from', message: /from: intended needs load requests/, hint: /filter by scenario\/request/ },
  { title: 'slo latency from an unknown start', text: append('slos:\n  - { name: a, objective: 99%, sli: { latency: 300ms, from: scheduled } }'), line: 22, path: 'slos.0.sli.from', message: /expected one of "start", "intended"/ },
  { title: 'slo filters an unknown scenario', text: append('slos:\n  - { name: a, objective: 99%, sli: availability, filter: { scenario: s2 } }'), line: 22, path: 'slos.0.filter.scenario', message: /no scenario named "s2"/ },
  { title: 'slicer variation not below average', text: line(17, '    toxic: slicer').replace('{ latency: 100 }', '{ average_size: 10, size_variation: 10 }'), line: 18, path: 'faults.0.attributes.size_variation', message: /smaller than average_size/ },
  { title: 'bad listen address', text: line(6, '    listen: localhost'), line: 6, path: 'proxies.0.listen', message: /address like "127.0.0.1:21001"/ },
  { title: 'listen port out of range', text: line(6, '    listen: 127.0.0.1:70000'), line: 6, path: 'proxies.0.listen', message: /address like/ },
  { title: 'no scenarios', text: line(9, 'scenarios: {}').replace(/ {2}s1:\n {4}executor: constant-vus\n {4}vus: 2\n {4}duration: 30s\n {4}flow: fhir\/clinician-dashboard\n/, ''), line: 9, path: 'scenarios', message: /at least one scenario/ },
  { title: 'target missing', text: BASE.filter((_, i) => i !== 1 && i !== 2).join('\n'), line: 1, path: 'target', message: /required — add it/ },
  // templates that would fail to render at run time (#12 item 3)
  { title: 'unknown synthetic field', text: line(14, '    steps:\n      - name: a\n        request: { path: "/p/{{ synthetic.familyName }}" }'), line: 16, path: 'scenarios.s1.steps.0.request.path', message: /"\{\{ synthetic.familyName \}\}" is not defined: synthetic has no "familyName"/, hint: /did you mean "\{\{ synthetic.family \}\}"\?/ },
  { title: 'unknown synthetic field deep in json', text: line(14, '    steps:\n      - name: a\n        request: { method: POST, path: /p, json: { name: [{ family: "{{ synthetic.surname }}" }] } }'), line: 16, path: 'scenarios.s1.steps.0.request.json.name.0.family', message: /synthetic has no "surname"/ },
  { title: 'synthetic path deeper than the record', text: line(14, '    steps:\n      - name: a\n        request: { path: "/p/{{ synthetic.patient.name[3].family }}" }'), line: 16, path: 'scenarios.s1.steps.0.request.path', message: /synthetic.patient has no "name\[3\].family"/ },
  { title: 'a field of a built-in id', text: line(14, '    steps:\n      - name: a\n        request: { path: "/p/{{ vu.id }}" }'), line: 16, path: 'scenarios.s1.steps.0.request.path', message: /vu is a single value with no fields/ },
  { title: 'value used before the step that saves it', text: line(14, '    steps:\n      - name: read\n        request: { path: "/p/{{ pid }}" }\n      - name: create\n        request: { method: POST, path: /p }\n        save: { pid: "$.id" }'), line: 16, path: 'scenarios.s1.steps.0.request.path', message: /used by step "read" before step "create" saves "pid"/, hint: /move step "read" after step "create"/ },
  { title: 'value never saved', text: line(14, '    steps:\n      - name: create\n        request: { method: POST, path: /p }\n        save: { patientId: "$.id" }\n      - name: read\n        request: { path: /p, headers: { x-id: "{{ patientid }}" } }'), line: 19, path: 'scenarios.s1.steps.1.request.headers.x-id', message: /"\{\{ patientid \}\}" is not defined \(saved by earlier steps: patientId/, hint: /did you mean "\{\{ patientId \}\}"\?/ },
  { title: 'param the scenario does not set', text: line(14, '    params: { team: a }\n    steps:\n      - name: a\n        request: { path: /p, query: { t: "{{ params.teem }}" } }'), line: 17, path: 'scenarios.s1.steps.0.request.query.t', message: /params has no "teem" \(params fields: team\)/, hint: /did you mean "\{\{ params.team \}\}"\?/ },
  { title: 'value saved inside a group is seen after it, not before', text: line(14, '    steps:\n      - name: a\n        request: { path: "/p/{{ pid }}" }\n      - group: g\n        steps:\n          - { name: b, request: { path: /q }, save: { pid: "$.id" } }'), line: 16, path: 'scenarios.s1.steps.0.request.path', message: /before step "b" saves "pid"/ },
  { title: 'ledger read of an unknown value', text: line(14, '    steps:\n      - name: a\n        request: { method: POST, path: /p }\n        save: { pid: "$.id" }\n        ledger: { read: "/p/{{ pdi }}" }'), line: 18, path: 'scenarios.s1.steps.0.ledger.read', message: /"\{\{ pdi \}\}" is not defined/, hint: /did you mean "\{\{ pid \}\}"\?/ },
  { title: 'onlyIf names a value never saved', text: line(14, '    steps:\n      - name: a\n        onlyIf: nextPage\n        request: { path: /p }'), line: 16, path: 'scenarios.s1.steps.0.onlyIf', message: /onlyIf "nextPage" is never saved, so this step never runs/ },
  { title: 'template in a check is never filled', text: line(14, '    steps:\n      - name: a\n        request: { path: /p }\n        check: { contains: "{{ synthetic.family }}" }'), line: 17, path: 'scenarios.s1.steps.0.check.contains', message: /checks compare values as written/ },
  { title: 'template in a probe is sent literally', text: append('hypothesis:\n  - { name: h, request: { path: "/p/{{ vu }}" } }'), line: 22, path: 'hypothesis.0.request.path', message: /probes send their request as written/ },
  // flows and durations (#13 item 6)
  { title: 'unknown flow', text: line(14, '    flow: fhir/nope'), line: 14, path: 'scenarios.s1.flow', message: /unknown flow "fhir\/nope"; known flows: fhir\/patient-registration, fhir\/clinician-dashboard/ },
  { title: 'misspelt flow', text: line(14, '    flow: fhir/clinician-dashbord'), line: 14, path: 'scenarios.s1.flow', message: /unknown flow/, hint: /did you mean "fhir\/clinician-dashboard"\?/ },
  { title: 'duration that overflows to Infinity', text: line(13, `    duration: ${'9'.repeat(400)}h`), line: 13, path: 'scenarios.s1.duration', message: /too large for any game day/ },
  { title: 'duration of 1e20 hours', text: line(13, '    duration: 99999999999999999999h'), line: 13, path: 'scenarios.s1.duration', message: /longer than any game day: a duration is at most 365d/ },
  { title: 'duration as a number that overflows', text: append('safety: { maxDuration: 1e400 }'), line: 21, path: 'safety.maxDuration', message: /Infinity is too large: the number overflows/ },
  { title: 'phase longer than a year', text: line(8, 'phases: { baseline: 10s, fault: 400d, recovery: 10s }'), line: 8, path: 'phases.fault', message: /at most 365d/ },
  { title: 'halt window longer than the run may last', text: append('safety: { maxDuration: 5m, halt: { errorRate: 0.5, for: 1h } }'), line: 21, path: 'safety.halt.for', message: /longer than safety.maxDuration \(5m0s\), so the halt rule could never fire/ },
  // clear messages (#12 items 2 and 4)
  { title: 'required phase says required', text: line(8, 'phases: { baseline: 10s, recovery: 10s }'), line: 8, path: 'phases.fault', message: /^required — add it, e\.g\. fault: 30s$/ },
  { title: 'unknown key inside a probe is named', text: append('hypothesis:\n  - { name: h, request: { path: /health }, expcet: { status: 200 } }'), line: 22, path: 'hypothesis.0.expcet', message: /unknown key "expcet"/, hint: /did you mean "expect"\?/ },
  { title: 'unknown key inside a trace assertion lists only its keys', text: append('hypothesis:\n  - { name: h, selector: { service: x }, assert: { count: ">=1" }, bogus: 1 }'), line: 22, path: 'hypothesis.0.bogus', message: /unknown key "bogus"/, hint: /^allowed: "name", "selector", "assert"$/ },
  { title: 'allowed top-level keys are all listed', text: append('qqqqqqqqqqqq: 1'), line: 21, path: 'qqqqqqqqqqqq', message: /unknown key/, hint: /"collectors", "compliance", "ledger", "safety", "outputs", "seed"$/ },
  // files that are not plans
  { title: 'YAML syntax error', text: line(12, '    vus: [2'), line: 13, message: /YAML syntax/ },
  { title: 'bad indentation', text: line(12, '  vus: 2\n     x: 1'), line: 12, message: /YAML syntax/ },
  { title: 'duplicate key', text: line(12, '    vus: 2\n    vus: 3'), line: 13, message: /YAML syntax.*(unique|duplicate)/i },
  { title: 'tab indentation', text: line(12, '\tvus: 2'), line: 12, message: /YAML syntax/ },
  { title: 'empty file', text: '', line: 1, message: /the plan is empty/ },
  { title: 'only comments', text: '# nothing here\n', line: 1, message: /the plan is empty/ },
  { title: 'a list instead of a map', text: '- a\n- b\n', line: 1, message: /must be a map of keys/ },
  { title: 'a scalar instead of a map', text: 'hello\n', line: 1, message: /must be a map of keys/ },
  { title: 'binary garbage', text: Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe]), line: 1, message: /not a text file/ },
  { title: 'invalid UTF-8', text: Uint8Array.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xc3, 0x28]), line: 1, message: /not a text file/ },
  { title: 'a 50 MB file', text: new Uint8Array(50 * 1024 * 1024).fill(0x61), line: 1, message: /plans are at most 1 MiB/ },
];

describe('bad plans', () => {
  it('has at least 60 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ROWS.map((r) => [r.title, r] as const))('%s', (_title, row) => {
    let caught: unknown;
    try {
      parsePlan(row.text, 'bad.yaml');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanError);
    const error = caught as PlanError;
    expect(isCodeblueError(error) && error.exitCode).toBe(2);
    const match = error.issues.find((i) => row.message.test(i.message) && (row.path === undefined || i.path === row.path));
    expect(match, `issues were: ${JSON.stringify(error.issues, null, 1)}`).toBeDefined();
    expect(match?.file).toBe('bad.yaml');
    expect(match?.line).toBe(row.line);
    if (row.hint) expect(match?.hint).toMatch(row.hint);
  });
});
