/** @module chaos: the rollback guard reports 130 for signals and 3 for errors, once, after the rollback. */
import { afterEach, describe, expect, it } from 'vitest';
import { installRollbackGuard } from './rollback-guard.js';

let uninstall: (() => void) | undefined;
afterEach(() => uninstall?.());

describe('installRollbackGuard', { timeout: 10_000 }, () => {
  it('runs the rollback once on SIGTERM, ignoring a second signal, then reports 130', async () => {
    let rollbacks = 0;
    const done = new Promise<number>((resolve) => {
      uninstall = installRollbackGuard(
        async () => {
          rollbacks++;
          await new Promise((r) => setTimeout(r, 30));
        },
        { onDone: (code) => resolve(code) },
      );
    });
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    expect(await done).toBe(130);
    expect(rollbacks).toBe(1);
  });

  it('reports 3 with the error on an unhandled rejection, and gives up on a hung rollback', async () => {
    const done = new Promise<{ code: number; error: unknown }>((resolve) => {
      uninstall = installRollbackGuard(() => new Promise<void>(() => undefined), { onDone: (code, _t, error) => resolve({ code, error }), timeoutMs: 50 });
    });
    process.emit('unhandledRejection', new Error('boom'), Promise.resolve());
    const result = await done;
    expect(result.code).toBe(3);
    expect((result.error as Error).message).toBe('boom');
  });
});
