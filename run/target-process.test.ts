/**
 * @module run: stopping the target's process group — a service the shell started gets its whole grace to shut down
 * after the shell itself has died, and what ignores SIGTERM is killed once the grace is over.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupMembers } from './process-identity.js';
import { startTarget } from './target-process.js';
import { waitUntil } from '../test/support/poll.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-target-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A node process (started in the background by the shell, as `npm start` or a stack script would) that says it is up. */
function service(script: string, name: string): string {
  const file = join(dir, `${name}.cjs`);
  return `node -e ${JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(`${file}.up`)}, 'up'); ${script}`)} & wait`;
}

describe('stopping the target', () => {
  it('lets a service that is still shutting down after the shell died finish, within the grace', { timeout: 60_000 }, async () => {
    const done = join(dir, 'slow.cjs.done');
    // Removes its file 1.5 s after SIGTERM, the way the demo API removes its key file and flushes telemetry.
    const slowStop = `process.on('SIGTERM', () => setTimeout(() => { require('fs').writeFileSync(${JSON.stringify(done)}, 'clean'); process.exit(0); }, 1500)); setInterval(() => {}, 1000);`;
    const target = startTarget({ command: service(slowStop, 'slow'), logFile: join(dir, 'slow.log') });
    await waitUntil(() => existsSync(join(dir, 'slow.cjs.up')), 'the service is up');
    await target.stop(20_000);
    expect(readFileSync(done, 'utf8')).toBe('clean');
    expect(groupMembers(target.pid ?? -1)).toEqual([]);
  });

  it('keeps the log open for what a service writes while it stops after the shell died (no write after the log ended)', { timeout: 60_000 }, async () => {
    // Logs on stdout and stderr 300 ms after SIGTERM, the way the demo stack logs each child it stopped.
    const chatty = `process.on('SIGTERM', () => setTimeout(() => { console.log('stopped cleanly'); console.error('bye on stderr'); process.exit(0); }, 300)); setInterval(() => {}, 1000);`;
    const logFile = join(dir, 'chatty.log');
    const target = startTarget({ command: service(chatty, 'chatty'), logFile });
    await waitUntil(() => existsSync(join(dir, 'chatty.cjs.up')), 'the service is up');
    await target.stop(20_000);
    await waitUntil(() => readFileSync(logFile, 'utf8').includes('bye on stderr'), 'the last lines are in the log', 10_000);
    expect(readFileSync(logFile, 'utf8')).toContain('stopped cleanly');
  });

  it('kills a service that ignores SIGTERM once the grace is over', { timeout: 60_000 }, async () => {
    const stubborn = `process.on('SIGTERM', () => undefined); setInterval(() => {}, 1000);`;
    const target = startTarget({ command: service(stubborn, 'stubborn'), logFile: join(dir, 'stubborn.log') });
    await waitUntil(() => existsSync(join(dir, 'stubborn.cjs.up')), 'the service is up');
    expect(groupMembers(target.pid ?? -1).length).toBeGreaterThan(0);
    await target.stop(1000);
    await waitUntil(() => groupMembers(target.pid ?? -1).length === 0, 'the group is gone', 10_000);
  });
});
