/** @module run: a stale process on the target's port is refused before anything starts. */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertTargetPortFree } from './target-port.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listener(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('assertTargetPortFree', { timeout: 10_000 }, () => {
  it('refuses a port a plain TCP listener holds, naming the port and target.baseUrl, with exit 3', async () => {
    const port = await listener();
    const baseUrl = `http://127.0.0.1:${port}`;
    const err = await assertTargetPortFree(baseUrl).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_PORT_IN_USE', exitCode: 3 });
    expect((err as Error).message).toContain(`port ${port} of target.baseUrl ${baseUrl}`);
    expect((err as { hint: string }).hint).toMatch(new RegExp(`lsof -i :${port}.*ss -ltnp.*change target\\.baseUrl`));
  });

  it('lets a free port through', async () => {
    const port = await listener();
    await new Promise((r) => servers.pop()?.close(r));
    await expect(assertTargetPortFree(`http://127.0.0.1:${port}/api`)).resolves.toBeUndefined();
  });
});
