/** @module demo/stack: `npm run demo:stack` as a user runs it — SIGTERM to npm alone still stops every process. */
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, TEST_DATABASE_URL } from '../testing/test-database.js';
import { fhir } from '../testing/fhir-client.js';
import { withPorts } from '../../test/support/ports.js';
import { descendantPids, isAlive, startStack, stillAliveAfter, type StackProcess } from '../testing/run-stack.js';

const schema = `demo_launch_${process.pid}`;

describe('npm run demo:stack', { timeout: 60_000 }, () => {
  let stack: StackProcess | undefined;
  let pids: number[] = [];
  afterAll(async () => {
    for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    await stack?.stop('SIGKILL');
    await dropSchema(schema);
  });

  it('serves FHIR, and when only npm gets SIGTERM, the stack notices and stops all its processes', async () => {
    let apiPort = 0;
    stack = await withPorts(2, ([api, ehrPort]) => {
      apiPort = api as number;
      return startStack(['--port', String(api), '--ehr-listen', `127.0.0.1:${String(ehrPort)}`, '--database-url', TEST_DATABASE_URL, '--schema', schema], { OTEL_SDK_DISABLED: 'true' }, 60_000, 'npm');
    });
    expect(stack.readyLine).toBe(`demo stack ready: fhir http://127.0.0.1:${apiPort}/fhir`);
    expect((await fhir(`http://127.0.0.1:${apiPort}/fhir/metadata`)).status).toBe(200);
    pids = descendantPids(stack.child.pid ?? -1);
    expect(pids.length).toBeGreaterThanOrEqual(4); // sh, tsx, the stack, legacy-ehr, fhir-api (+ esbuild)
    await stack.stop('SIGTERM');
    expect(await stillAliveAfter(pids, 10_000)).toEqual([]);
  });
});
