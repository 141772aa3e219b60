/** @module core: the net guard checks the resolved address of every connection, at connect time. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertListenAllowed, createNetGuard, LOOPBACK_ONLY, type Resolver } from './index.js';

/** Answers from `answers` in turn (the last one repeats): a name that rebinds between lookups. */
const sequence = (...answers: string[][]): Resolver & { calls: number } => {
  const fn = Object.assign(async (_host: string) => answers[Math.min(fn.calls++, answers.length - 1)] as string[], { calls: 0 });
  return fn;
};

let server: Server;
let port = 0;
let served = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    served++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createNetGuard', () => {
  it('lets loopback through the undici connector and through net connect', async () => {
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, resolve: sequence(['127.0.0.1']) });
    const client = new Client(`http://app.test:${port}`, { connect: guard.connector() });
    const res = await client.request({ path: '/', method: 'GET' });
    expect(await res.body.text()).toBe('ok');
    await client.close();
    const socket = guard.connect('127.0.0.1', port);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.destroy();
  });

  it('refuses a name that resolved to loopback when checked and elsewhere at connect time (rebinding)', async () => {
    const resolve = sequence(['127.0.0.1'], ['10.255.0.1']);
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, planKey: 'target.baseUrl', resolve });
    await expect(guard.assertAllowed(`http://rebind.test:${port}`)).resolves.toEqual(['127.0.0.1']);
    const before = served;
    const err = await request(`http://rebind.test:${port}/`, { dispatcher: guard.agent() }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED', exitCode: 2 });
    expect((err as Error).message).toMatch(/rebind\.test.*10\.255\.0\.1.*target\.baseUrl/);
    expect(served).toBe(before);
    expect(resolve.calls).toBe(2);
  });

  it('refuses literal non-loopback IPs, which never reach a lookup, before any socket exists', async () => {
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, planKey: 'collectors.forward' });
    const viaUndici = await request('http://10.255.0.1:4318/v1/traces', { dispatcher: guard.agent() }).then(() => undefined, (e: unknown) => e);
    expect(viaUndici).toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED', message: expect.stringContaining('collectors.forward') });
    const socket = guard.connect('10.255.0.1', 80);
    const viaNet = await new Promise((resolve) => socket.once('error', resolve).once('connect', () => resolve('connected')));
    expect(viaNet).toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
  });

  it('refuses a name with any non-loopback address, and allows it only with allowHosts AND allowRemote', () => {
    const listedOnly = createNetGuard({ policy: { allowHosts: ['ehr.test'], allowRemote: false }, planKey: 'proxies[0].upstream' });
    expect(() => listedOnly.check('ehr.test', '10.1.2.3')).toThrow(/ehr\.test.*10\.1\.2\.3.*proxies\[0\]\.upstream/);
    const remoteOnly = createNetGuard({ policy: { allowHosts: [], allowRemote: true } });
    expect(() => remoteOnly.check('ehr.test', '10.1.2.3')).toThrow(/not loopback/);
    const both = createNetGuard({ policy: { allowHosts: ['EHR.test'], allowRemote: true } });
    expect(() => both.check('ehr.test', '10.1.2.3')).not.toThrow();
    expect(() => both.check('other.test', '10.1.2.3')).toThrow(/other\.test/);
  });

  it('answers dns.lookup-style calls with all: true and with a family', async () => {
    const guard = createNetGuard({ policy: LOOPBACK_ONLY, resolve: sequence(['127.0.0.1', '::1']) });
    const all = await new Promise((resolve, reject) => guard.lookup('x.test', { all: true }, (err, found) => (err ? reject(err) : resolve(found))));
    expect(all).toEqual([{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    const six = await new Promise((resolve, reject) => guard.lookup('x.test', { family: 6 }, (err, address) => (err ? reject(err) : resolve(address))));
    expect(six).toBe('::1');
  });
});

describe('assertListenAllowed', () => {
  it.each(['127.0.0.1', '::1', '[::1]', 'localhost'])('lets %s listen', async (host) => {
    await expect(assertListenAllowed(host, LOOPBACK_ONLY, 'chaos.listen')).resolves.toBeUndefined();
  });

  it.each(['0.0.0.0', '::', '', '10.255.0.1'])('refuses %j with exit 2, naming the plan key', async (host) => {
    await expect(assertListenAllowed(host, LOOPBACK_ONLY, 'collectors.otlpListen')).rejects.toMatchObject({
      code: 'CB_TARGET_NOT_ALLOWED', exitCode: 2, message: expect.stringContaining('collectors.otlpListen'), hint: expect.stringContaining('--allow-remote'),
    });
  });

  it('allows every interface only with allowHosts AND allowRemote', async () => {
    await expect(assertListenAllowed('0.0.0.0', { allowHosts: ['0.0.0.0'], allowRemote: false }, 'chaos.listen')).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
    await expect(assertListenAllowed('0.0.0.0', { allowHosts: ['0.0.0.0'], allowRemote: true }, 'chaos.listen')).resolves.toBeUndefined();
  });
});
