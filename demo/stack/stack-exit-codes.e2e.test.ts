/** @module demo/stack: exit codes an orchestrator relies on — 2 for a bad flag, 3 when the FHIR port is taken. */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pickPort } from '../../test/support/ports.js';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const schema = `demo_exit_${process.pid}`;

function runStack(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/stack.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, OTEL_SDK_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    }),
  );
}

describe('stack exit codes', { timeout: 45_000 }, () => {
  const blocker = net.createServer();
  afterAll(async () => {
    await new Promise<void>((r) => blocker.close(() => r()));
    await dropSchema(schema);
  });

  it('exits 2 with a hint on a bad flag', async () => {
    const r = await runStack(['--ehr-link', 'not-an-address']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ehr-link must be host:port');
    expect(r.stderr).toContain('hint:');
  });

  it('exits 3 naming the port when the FHIR port is taken, and stops the EHR it had started', async () => {
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const ehrPort = await pickPort();
    const r = await runStack(['--port', String(port), '--ehr-listen', `127.0.0.1:${ehrPort}`, '--database-url', TEST_DATABASE_URL, '--schema', schema]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`EADDRINUSE: address already in use 127.0.0.1:${port}`);
    expect(r.stderr).toContain('legacy-ehr: stopping');
  });
});
