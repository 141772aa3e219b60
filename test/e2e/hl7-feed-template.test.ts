/**
 * @module test/e2e: the `hl7-feed` template as `codeblue run` runs it against the demo stack (free ports, a
 * PostgreSQL schema of its own), and the ledger of acknowledged HL7 messages proven both ways on a fault on the
 * EHR → FHIR delivery path: the outbox keeps every admit, a one-shot (inline) feed loses some and fails the run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/journal.js';
import { loadPlan } from '../../plan/index.js';
import type { RunResults } from '../../reports/index.js';
import { executeGameDay } from '../../run/index.js';
import { pickPort } from '../support/ports.js';
import { startTestFhirApi } from '../../demo/testing/start-test-api.js';
import { startTestLegacyEhr, type LegacyEhr } from '../../demo/testing/legacy-ehr.js';
import { dropSchema, TEST_DATABASE_URL } from '../../demo/testing/test-database.js';
import { runCli, type CliRun } from './cli-run.js';

const TEMPLATE = new URL('../../examples/hl7-feed.yaml', import.meta.url);
const schemas: string[] = [];
const clis: CliRun[] = [];
let out: string;

const schemaName = (): string => {
  const s = `cb_e2e_hl7_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
  schemas.push(s);
  return s;
};
const readResults = (runDir: string): RunResults => JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'cb-e2e-hl7-feed-'));
});
afterAll(async () => {
  await Promise.all(clis.map((c) => c.kill()));
  for (const s of schemas) await dropSchema(s);
  rmSync(out, { recursive: true, force: true });
}, 60_000);

/** A plan of `mllp` steps only: the headline, the fault table, charts and tables carry HL7 messages, not 0 / –. */
function expectHl7Report(runDir: string, results: RunResults): void {
  const hl7 = results.hl7;
  const total = hl7?.phaseTables.find((t) => t.scope === 'run')?.total;
  expect(total?.count).toBeGreaterThan(100);
  expect(total?.p95Ms).not.toBeNull();
  expect(hl7?.timeline.overall.messages.filter((n) => n > 0).length).toBeGreaterThan(30);
  expect(hl7?.resilience.faults.map((f) => f.fault)).toEqual(['ehr-slow', 'feed-resets', 'ehr-resets']);
  for (const f of hl7?.resilience.faults ?? []) {
    expect(f.during.requests, f.fault).toBeGreaterThan(0);
    expect([f.p50DeltaMs, f.p95DeltaMs, f.errorRateDelta, f.score], f.fault).not.toContain(null);
  }
  // The 2.5 s latency shows on the ACK time; the resets on the EHR link fail messages.
  expect(hl7?.resilience.faults[0]?.p95DeltaMs).toBeGreaterThan(1000);
  expect(hl7?.resilience.faults[2]?.errorRateDelta).toBeGreaterThan(0);
  expect(hl7?.resilience.score).not.toBeNull();

  const md = readFileSync(join(runDir, 'summary.md'), 'utf8');
  const head = md.split('\n').findIndex((l) => l.startsWith('| HL7 messages | failed | ACK p95 | ACK p99 |'));
  expect(head, md).toBeGreaterThan(0);
  const cells = (md.split('\n')[head + 2] ?? '').split('|').map((c) => c.trim());
  expect(Number(cells[1]?.replace(/,/g, ''))).toBe(total?.count);
  expect(cells[3]).toMatch(/^[\d.,]+ (ms|s)$/);
  expect(cells[6]).toMatch(/^\d+ \/ 100$/);
  const faultRows = md.split('\n').filter((l) => /^\| (ehr-slow|feed-resets|ehr-resets) \(/.test(l));
  expect(faultRows).toHaveLength(3);
  for (const row of faultRows) expect(row, row).toMatch(/^\| [\w-]+ \([\w-]+ \w+\) \| [+−-]?[\d.,]+ m?s \| [+−-]?[\d.,]+ m?s \| [+−-][\d.]+ pp \| [^|]+ \| \d+ \|$/);
  expect(md).toContain('| fault | ACK p50 vs baseline | ACK p95 vs baseline | failed vs baseline | time to recover | score |');

  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  expect(html).toContain('<small>HL7 messages</small>');
  for (const id of ['chart-hl7-rate', 'chart-hl7-ack', 'chart-hl7-failed']) expect(html).toContain(`id="${id}"`);
  expect(html).not.toContain('id="chart-rps"');
  expect(html).toMatch(/class="phase-table" data-scope="run" data-events="hl7"/);
}

describe('the hl7-feed template', () => {
  it('passes against the demo stack: every AA-acknowledged admit is read back from the FHIR API, HL7 SLOs in every output', { timeout: 240_000 }, async () => {
    const [api, ehrListen, link, feedLink] = [await pickPort(), await pickPort(), await pickPort(), await pickPort()];
    // The template as shipped, moved to free ports and a database schema of its own (nothing else changed).
    const text = readFileSync(TEMPLATE, 'utf8')
      .replaceAll('127.0.0.1:8080', `127.0.0.1:${api}`)
      .replaceAll('127.0.0.1:21001', `127.0.0.1:${link}`)
      .replaceAll('127.0.0.1:21003', `127.0.0.1:${feedLink}`)
      .replaceAll('127.0.0.1:7001', `127.0.0.1:${ehrListen}`)
      .replace(/127\.0\.0\.1:431[78]/g, '127.0.0.1:0')
      .replace('--${DEMO_PRESET:-hardened}', `--hardened --port ${api} --ehr-listen 127.0.0.1:${ehrListen} --db-mode real --database-url ${TEST_DATABASE_URL} --schema ${schemaName()}`);
    const file = join(out, 'hl7-feed.yaml');
    writeFileSync(file, text);
    const cli = runCli(['run', file, '--out', out, '--json']);
    clis.push(cli);
    const code = await cli.exit(230_000);
    const runDir = cli.events().find((e) => e.type === 'run-start')?.runDir as string;
    const results = readResults(runDir);
    const failed = results.verdicts.filter((v) => !v.pass && v.gating !== false);
    expect(failed, cli.stderr()).toEqual([]);
    expect(code, cli.stderr()).toBe(0);

    const ledger = results.verdicts.find((v) => v.kind === 'ledger');
    expect(ledger).toMatchObject({ pass: true, observed: 0 });
    expect(results.ledger?.checked).toBeGreaterThan(100);
    expect(existsSync(join(runDir, 'ledger.json'))).toBe(true);
    // The feed's resets really happened: the journal records the toxic on and off the fhir-feed proxy, both ok.
    const journal = readFileSync(join(runDir, 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEntry);
    const feedFaults = journal.filter((e) => e.toxic === 'feed-resets' && e.proxy?.endsWith('fhir-feed') === true);
    expect(feedFaults.map((e) => [e.action, e.outcome])).toEqual([['fault-on', 'ok'], ['fault-off', 'ok']]);

    const acked = results.slos.find((s) => s.name === 'admits acknowledged');
    expect(acked).toMatchObject({ events: 'hl7', sli: 'availability', scope: 'steady-state', pass: true });
    // The resets broke the link: the fault window (information under steady-state scope) lost messages.
    expect(acked?.scopes.some((s) => !s.gating && s.ratio !== null && s.ratio < 1)).toBe(true);
    expect(acked?.budget.consumedEvents).toBeGreaterThan(0);
    expect(results.slos.find((s) => s.name === 'ACKs fast')).toMatchObject({ events: 'hl7', sli: 'latency', thresholdMs: 2000 });
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).toContain('admits acknowledged (HL7)');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('HL7 messages are acknowledged (AA)');
    expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toContain('HL7 messages acknowledged AA');
    const dashboard = readFileSync(join(runDir, 'dashboard.json'), 'utf8');
    expect(dashboard).toContain('k6_hl7_msg_failed_total');
    expect(dashboard).toContain('k6_hl7_msg_duration_seconds_bucket');
    expectHl7Report(runDir, results);
  });
});

describe('the ledger of acknowledged HL7 messages, with a fault on the EHR → FHIR delivery path', () => {
  let fhir: Awaited<ReturnType<typeof startTestFhirApi>>;

  beforeAll(async () => {
    fhir = await startTestFhirApi(TEST_DATABASE_URL, schemaName(), { host: '127.0.0.1', port: await pickPort() });
  }, 60_000);
  afterAll(async () => {
    await fhir?.stop();
  });

  /** A game day: ADT^A01 to an in-process EHR whose feed reaches the FHIR API through the `feed` proxy, reset during the fault. */
  interface FeedStats { readonly pending: number; readonly delivered: number; readonly retries: number; readonly lost: number }
  async function feedDrill(mode: 'outbox' | 'inline'): Promise<{ results: RunResults; exitCode: number; ehr: LegacyEhr; feed: FeedStats }> {
    const feedPort = await pickPort();
    const apiUrl = String(fhir.url);
    const ehr = await startTestLegacyEhr({ baseUrl: `http://127.0.0.1:${feedPort}/fhir`, mode });
    const dir = mkdtempSync(join(out, `feed-${mode}-`));
    try {
      writeFileSync(join(dir, 'codeblue.yaml'), JSON.stringify({
        name: `hl7-ledger-${mode}`,
        target: { baseUrl: new URL(apiUrl).origin, health: '/health' },
        chaos: { server: 'embedded', listen: '127.0.0.1:0' },
        proxies: [{ name: 'feed', listen: `127.0.0.1:${feedPort}`, upstream: new URL(apiUrl).host }],
        phases: { baseline: '2s', fault: '4s', recovery: '3s' },
        scenarios: {
          adt: {
            executor: 'constant-arrival-rate', rate: 10, duration: '9s', preAllocatedVUs: 4, maxVUs: 20,
            steps: [{ name: 'admit', mllp: { address: `${ehr.mllp.host}:${ehr.mllp.port}`, message: 'ADT^A01', ledger: { read: '/fhir/Encounter/hl7-{{ id }}', within: '15s' } } }],
          },
        },
        faults: [{ name: 'feed-resets', proxy: 'feed', at: 'fault+0s', duration: '4s', toxic: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }],
        slos: [{ name: 'admits acknowledged', objective: '99%', sli: 'availability', events: 'hl7' }],
        collectors: { otlpListen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' },
        safety: { maxDuration: '2m', maxRequests: 2000 },
        outputs: ['json'],
      }));
      const outcome = await executeGameDay(await loadPlan(join(dir, 'codeblue.yaml')), { outRoot: join(dir, 'runs') });
      const health = (await (await fetch(ehr.healthUrl)).json()) as { feed: FeedStats };
      return { results: outcome.results, exitCode: outcome.exitCode, ehr, feed: health.feed };
    } finally {
      await ehr.stop();
    }
  }

  it('the outbox retries through the resets: every acknowledged admit is read back, the run passes', { timeout: 120_000 }, async () => {
    const { results, exitCode, ehr, feed } = await feedDrill('outbox');
    // The resets really failed deliveries; the outbox sent them again.
    expect(feed.retries).toBeGreaterThan(0);
    expect(feed).toMatchObject({ pending: 0, lost: 0 });
    expect(results.verdicts.find((v) => v.kind === 'ledger'), JSON.stringify(results.verdicts)).toMatchObject({ pass: true, observed: 0 });
    expect(results.ledger?.checked).toBeGreaterThanOrEqual(60);
    expect(results.slos[0]).toMatchObject({ events: 'hl7', pass: true });
    expect(ehr.state.admits.size).toBeGreaterThanOrEqual(results.ledger?.checked ?? 0);
    expect(exitCode).toBe(0);
  });

  it('a one-shot feed loses the admits sent during the resets: the ledger fails the run with counts and the first ids', { timeout: 120_000 }, async () => {
    const { results, exitCode, feed } = await feedDrill('inline');
    const ledger = results.verdicts.find((v) => v.kind === 'ledger');
    expect(ledger?.pass).toBe(false);
    // Every admit was acknowledged AA (the MLLP link was never faulted): only the delivery lost them.
    expect(results.slos[0]).toMatchObject({ events: 'hl7', pass: true });
    const missing = results.ledger?.missingIds ?? [];
    expect(missing.length).toBeGreaterThan(5);
    // Exactly the admits whose one delivery attempt was reset are missing: nothing more, nothing less.
    expect(missing.length).toBe(feed.lost);
    expect(missing.every((id) => /^ADT\^A01\/CB[0-9A-F]{6}[0-9A-Z]+$/.test(id))).toBe(true);
    expect(ledger?.observed).toBe(missing.length);
    expect(ledger?.message).toContain(`${missing.length} missing`);
    expect(ledger?.message).toContain(`first missing: ${missing[0]}`);
    expect(exitCode).toBe(1);
  });
});
