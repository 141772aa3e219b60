/** @module run: waiting for the target — what counts as up with and without `target.health`, and saying what is awaited. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pickPort } from '../test/support/ports.js';
import { waitForHealth, type HealthProgress } from './health-wait.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A target that answers every request with `status`. */
async function answering(status: number): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(status).end('nope'));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('waitForHealth', { timeout: 20_000 }, () => {
  it('takes any answer, even a 404, as up when the plan names no health path', async () => {
    const base = await answering(404);
    await expect(waitForHealth({ url: `${base}/`, anyAnswer: true, timeoutMs: 10_000 })).resolves.toBeUndefined();
  });

  it('needs a 2xx from an explicit health path, and says what it waits for every few seconds until it gives up', async () => {
    const base = await answering(404);
    const progress: HealthProgress[] = [];
    const waiting = waitForHealth({ url: `${base}/health`, anyAnswer: false, timeoutMs: 3_000, reportEveryMs: 200, onProgress: (p) => progress.push(p) });
    await expect(waiting).rejects.toMatchObject({ code: 'CB_TARGET_UNREACHABLE', exitCode: 3, message: expect.stringMatching(/\/health did not answer 2xx within 3s \(last: HTTP 404\)/) });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatchObject({ url: `${base}/health`, expect: '2xx', last: 'HTTP 404', timeoutMs: 3_000 });
  });

  it('reports the connection error while nothing listens yet', async () => {
    const port = await pickPort(); // nothing listens there
    const progress: HealthProgress[] = [];
    await expect(waitForHealth({ url: `http://127.0.0.1:${port}/`, anyAnswer: true, timeoutMs: 2_000, reportEveryMs: 200, onProgress: (p) => progress.push(p) }))
      .rejects.toMatchObject({ code: 'CB_TARGET_UNREACHABLE' });
    expect(progress[0]?.last).toBe('ECONNREFUSED');
  });
});
