/** @module plan: the commented starter plan `codeblue init` writes. */

/** A complete, valid plan for the bundled demo stack, with a comment on every section. */
export function renderStarterPlan(name = 'first-game-day'): string {
  return `# codeblue plan: one game day against a healthcare stack.
# Validate with:  npx codeblue validate codeblue.yaml
# Durations use k6 syntax (500ms, 30s, 2m, 1h30m). Unknown keys are errors.
name: ${name}

# The system under drill. codeblue only sends traffic to loopback (127.0.0.0/8, ::1)
# unless a host is listed in safety.allowHosts AND you pass --allow-remote.
target:
  baseUrl: http://127.0.0.1:8080
  # Optional: codeblue starts the target, waits for its health path, and stops it afterwards.
  # $CODEBLUE_DEMO_STACK is set by codeblue: it starts the demo stack shipped with codeblue, from any folder.
  # The demo stack reaches its EHR and database through the proxies below.
  start: $CODEBLUE_DEMO_STACK --ehr-link 127.0.0.1:21001 --db-link 127.0.0.1:25432
  health: /health

# Faults go through a Toxiproxy-compatible server: "embedded" or a real one (http://127.0.0.1:8474).
chaos:
  server: embedded

# Each dependency link that faults can act on: the target connects to listen, codeblue forwards to upstream.
proxies:
  - name: ehr
    listen: 127.0.0.1:21001
    upstream: 127.0.0.1:7001
  - name: postgres
    listen: 127.0.0.1:25432
    upstream: 127.0.0.1:5432

# baseline (steady state) → fault (faults on) → recovery (faults off, watch it heal).
phases: { baseline: 20s, fault: 30s, recovery: 20s }

# Load, in k6's executor names and options. Runs through all phases.
scenarios:
  clinicians:
    executor: constant-arrival-rate
    rate: 20
    timeUnit: 1s
    duration: 70s
    preAllocatedVUs: 10
    maxVUs: 50
    flow: fhir/clinician-dashboard     # a workflow from codeblue's FHIR library
  registration:
    executor: constant-vus
    vus: 2
    duration: 70s
    steps:                             # or explicit steps
      - name: create patient
        request: { method: POST, path: /fhir/Patient, json: "{{ synthetic.patient }}" }
        check: { status: 201 }
        save: { patientId: "$.id" }
      - name: read patient
        request: { method: GET, path: "/fhir/Patient/{{ patientId }}", name: "GET /fhir/Patient/{id}" }
        check: { status: 200 }
        think: 500ms

# Faults on the timeline: phase-relative (fault+5s) or absolute from run start (25s).
faults:
  - proxy: ehr
    at: fault+0s
    duration: 20s
    toxic: latency                     # latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, down
    stream: downstream
    toxicity: 1.0
    attributes: { latency: 1500, jitter: 100 }

# k6 thresholds: the run fails (exit 1) when one is crossed.
thresholds:
  http_req_failed: ["rate<0.05"]
  "http_req_duration{scenario:clinicians}": ["p(95)<1500"]

# Service level objectives, with error budget and burn rate in the report.
slos:
  - name: availability
    objective: 99.5%
    sli: availability
    window: 30d
  - name: fast reads
    objective: 95%
    sli: { latency: 500ms }
    filter: { scenario: clinicians }

# Steady state, checked before the faults and after recovery.
hypothesis:
  - name: api healthy
    request: { method: GET, path: /health }
    expect: { status: 200 }

# Hard bounds, and when to stop early.
safety:
  maxDuration: 10m
  maxRequests: 100000
  halt: { errorRate: 0.5, for: 10s }
  allowHosts: []

outputs: [json, html, junit, markdown, dashboard]
`;
}
