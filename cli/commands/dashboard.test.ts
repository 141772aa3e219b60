/** @module cli: `codeblue dashboard` as a process — build, provision, push (to a local Grafana-like API), prometheus-config. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStarterPlan } from '../../plan/index.js';

const BIN = fileURLToPath(new URL('../../bin/codeblue.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cb-dash-cli-'));
const plan = join(dir, 'codeblue.yaml');
let grafana: Server;
let grafanaUrl: string;
const pushed: Record<string, unknown>[] = [];
const annotations: Record<string, unknown>[] = [];

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  writeFileSync(plan, renderStarterPlan('cli-drill'));
  grafana = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.headers.authorization !== 'Bearer good') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Invalid API key"}');
        return;
      }
      if (req.url === '/api/annotations') {
        annotations.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Annotation added', id: annotations.length }));
        return;
      }
      const parsed = JSON.parse(body) as { dashboard: { uid: string } };
      pushed.push(parsed);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 1, uid: parsed.dashboard.uid, url: `/d/${parsed.dashboard.uid}/x`, status: 'success', version: 1 }));
    });
  });
  await new Promise<void>((r) => grafana.listen(0, '127.0.0.1', r));
  grafanaUrl = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => grafana.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('codeblue dashboard', () => {
  it('writes the dashboard JSON for a plan (-o) with the datasource preselected', async () => {
    const r = await run(['dashboard', 'codeblue.yaml', '-o', 'out/dashboard.json', '--datasource', 'Prom']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote out\/dashboard.json \(uid codeblue-cli-drill, \d+ panels\)/);
    const d = JSON.parse(readFileSync(join(dir, 'out/dashboard.json'), 'utf8')) as { schemaVersion: number; templating: { list: { current?: { value: string } }[] } };
    expect(d.schemaVersion).toBe(36);
    expect(d.templating.list[0]?.current?.value).toBe('Prom');
    const newer = await run(['dashboard', 'codeblue.yaml', '-o', 'out/dashboard-11.6.json', '--grafana-version', '11.6.2']);
    expect(newer.code).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, 'out/dashboard-11.6.json'), 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(41);
    const old = await run(['dashboard', 'codeblue.yaml', '--grafana-version', '10.4']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('older than the oldest supported release, 11.0');
  }, 60_000);

  it('provisions from a plan and prints the docker command', async () => {
    const r = await run(['dashboard', 'provision', 'grafana', '--prometheus-url', 'http://127.0.0.1:9090', '--plan', 'codeblue.yaml', '--grafana-version', '12.0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('docker run --rm --network host');
    expect(r.stdout).toContain('grafana/grafana:12.0.0');
    expect(JSON.parse(readFileSync(join(dir, 'grafana/dashboards/codeblue-cli-drill.json'), 'utf8'))).toMatchObject({ uid: 'codeblue-cli-drill', schemaVersion: 41 });
    expect(readFileSync(join(dir, 'grafana/provisioning/datasources/codeblue.yaml'), 'utf8')).toContain('url: http://127.0.0.1:9090');
  }, 30_000);

  it('pushes a dashboard JSON with the token from GRAFANA_TOKEN; a bad token exits 2 with a hint', async () => {
    const ok = await run(['dashboard', 'push', 'out/dashboard.json', '--grafana', grafanaUrl, '--folder', 'ops', '--overwrite'], { GRAFANA_TOKEN: 'good' });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`pushed codeblue-cli-drill version 1 → ${grafanaUrl}/d/codeblue-cli-drill/x`);
    expect(pushed.at(-1)).toMatchObject({ folderUid: 'ops', overwrite: true, dashboard: { uid: 'codeblue-cli-drill', id: null } });
    const bad = await run(['dashboard', 'push', 'codeblue.yaml', '--grafana', grafanaUrl, '--token', 'wrong']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CB_GRAFANA_API .*401[\s\S]*hint: .*--token/);
  }, 30_000);

  it('push --journal also posts the fault windows and phases as annotations on the pushed dashboard', async () => {
    const t0 = Date.UTC(2026, 10, 25, 10, 0, 0);
    const line = (offsetMs: number, action: string, extra: object = {}): string => JSON.stringify({ time: new Date(t0 + offsetMs).toISOString(), offsetMs, action, outcome: 'ok', ...extra });
    writeFileSync(join(dir, 'journal.ndjson'), [
      line(0, 'phase-start', { phase: 'baseline' }), line(20_000, 'phase-start', { phase: 'fault' }),
      line(20_000, 'fault-on', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }), line(40_000, 'fault-off', { proxy: 'ehr', toxic: 'ehr-latency', type: 'latency' }),
      line(50_000, 'phase-start', { phase: 'recovery' }), line(70_000, 'run-end'), '',
    ].join('\n'));
    const r = await run(['dashboard', 'push', 'out/dashboard.json', '--grafana', grafanaUrl, '--token', 'good', '--overwrite', '--journal', 'journal.ndjson', '--run', 'r9']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('annotated 4 fault window(s) and phase(s) from journal.ndjson');
    expect(annotations[0]).toEqual({ dashboardUID: 'codeblue-cli-drill', time: t0 + 20_000, timeEnd: t0 + 40_000, tags: ['codeblue', 'run:r9', 'fault', 'proxy:ehr', 'toxic:ehr-latency'], text: 'fault ehr · ehr-latency (latency)' });
  }, 30_000);

  it('bad input exits 2 with a message, never a stack: no plan, a non-dashboard JSON, a bad scrape target', async () => {
    writeFileSync(join(dir, 'not-a-dashboard.json'), '{"hello": 1}');
    for (const args of [['dashboard'], ['dashboard', 'push', 'not-a-dashboard.json', '--grafana', grafanaUrl, '--token', 'good'], ['dashboard', 'prometheus-config', '--target', 'nope']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error CB_USAGE /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 30_000);

  it('prints a scrape config for a run', async () => {
    const r = await run(['dashboard', 'prometheus-config', '--target', '127.0.0.1:9464', '--run', 'r1', '--interval', '1s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('job_name: "codeblue-r1"');
    expect(r.stdout).toContain('scrape_interval: 1s');
  }, 30_000);
});
