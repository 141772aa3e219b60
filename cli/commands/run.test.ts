/** @module cli: `codeblue run` as a user runs it — a stale process on the target port is exit 3 with the port named, and nothing starts. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/codeblue.js');
let dir: string;
let stale: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-cli-run-'));
  stale = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => stale.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => stale?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('codeblue run', { timeout: 60_000 }, () => {
  it('exits 3 before starting anything when target.start is set and the target port is already served', async () => {
    const port = (stale.address() as AddressInfo).port;
    writeFileSync(join(dir, 'codeblue.yaml'), `name: stale
target:
  baseUrl: http://127.0.0.1:${port}
  start: touch spawned.txt
scenarios:
  s: { executor: shared-iterations, steps: [{ name: x, request: { path: / } }] }
`);
    const { code, stderr, stdout } = await cli(['run', 'codeblue.yaml']);
    expect(code, stderr).toBe(3);
    expect(stderr).toContain(`CB_PORT_IN_USE port ${port} of target.baseUrl http://127.0.0.1:${port}`);
    expect(stderr).toContain(`lsof -i :${port}`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack
    expect(stdout).not.toContain('starting the embedded chaos server');
    expect(existsSync(join(dir, 'spawned.txt'))).toBe(false);
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });
});
