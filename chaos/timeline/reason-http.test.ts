/** @module chaos/timeline: the chaos server's own reason (Toxiproxy's error body) reaches codeblue's error message. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeblueError, systemClock } from '../../core/index.js';
import { createFaultTimeline, createJournal, startChaosServer, type ChaosServer } from '../index.js';
import { echoServer, type TestServer } from '../testing/net.js';

let server: ChaosServer;
let echo: TestServer;
let taken: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startChaosServer({ host: '127.0.0.1', port: 0 });
  echo = await echoServer();
  taken = await echoServer();
  dir = mkdtempSync(join(tmpdir(), 'cb-reason-'));
});
afterAll(async () => {
  await server.close();
  await echo.close();
  await taken.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('chaos server errors', { timeout: 20_000 }, () => {
  it('carry the server reason and a cleanup hint when a proxy cannot listen (address already in use)', async () => {
    const timeline = createFaultTimeline({
      serverUrl: server.url, runId: 'reason', clock: systemClock(), journal: createJournal(join(dir, 'j.ndjson')), faults: [],
      proxies: [{ name: 'ehr', listen: taken.address, upstream: echo.address, protocol: 'tcp', enabled: true }],
    });
    const err = await timeline.setup().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CodeblueError);
    const error = err as CodeblueError;
    expect(error.code).toBe('CB_CHAOS_API');
    expect(error.message).toContain('500');
    expect(error.message).toContain(`listen tcp ${taken.address}: bind: address already in use`);
    expect(error.hint).toContain('codeblue cleanup');
    await timeline.rollback();
  });
});
