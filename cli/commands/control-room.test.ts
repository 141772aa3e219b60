/**
 * @module cli: `codeblue run --ui` as a user runs it — the URL with its token on stderr, the page refused without it,
 * report.html served after the run until Ctrl-C, the run's own exit code kept; bad `--ui-listen` values are exit 2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/support/poll.js';

const BIN = resolve(import.meta.dirname, '../../bin/codeblue.js');
let dir: string;
let target: Server;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-cli-ui-'));
  target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  writeFileSync(join(dir, 'plan.yaml'), `name: ui-smoke
target: { baseUrl: http://127.0.0.1:${(target.address() as AddressInfo).port} }
collectors: { otlpListen: 127.0.0.1:0 }
scenarios:
  s: { executor: constant-vus, vus: 1, duration: 2s, steps: [{ name: root, request: { path: / }, check: { status: 200 } }] }
`);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await new Promise((r) => target?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; stderr: () => string; exit: Promise<number> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stdout?.resume();
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return { child, stderr: () => err, exit: new Promise((r) => child.on('close', (code) => r(code ?? -1))) };
}

describe('codeblue run --ui', { timeout: 90_000 }, () => {
  it('refuses a malformed --ui-listen with exit 2', async () => {
    const run = start(['run', 'plan.yaml', '--ui-listen', 'nowhere']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('must be host:port such as 127.0.0.1:5665');
  });

  it('refuses to serve the control room on every interface with exit 2, before anything starts', async () => {
    const run = start(['run', 'plan.yaml', '--ui-listen', '0.0.0.0:0']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('CB_TARGET_NOT_ALLOWED');
    expect(run.stderr()).toContain('--ui-listen');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });

  it('prints the URL with its token, serves the verdict and report.html after the run until Ctrl-C, and keeps the exit code', async () => {
    const run = start(['run', 'plan.yaml', '--ui', '--ui-listen', '127.0.0.1:0']);
    const url = new URL(await waitUntil(() => /control room: (http:\S+)/.exec(run.stderr())?.[1] ?? '', 'the control room URL is printed', 30_000));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(url.origin)).status).toBe(403);
    await waitUntil(() => run.stderr().includes('press Ctrl-C to exit'), 'the run ends and the room lingers', 60_000);
    const report = await fetch(`${url.origin}/report.html?token=${url.searchParams.get('token')}`);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('PASSED');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });
});
