/** @module test/support: ports outside the ephemeral range, and a start retried when its port was taken meanwhile. */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { candidateSpans, ephemeralRange, isAddressInUse, pickPort, pickPorts, withPorts } from './ports.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function bind(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject).listen(port, '127.0.0.1', () => {
      servers.push(server);
      resolve(server);
    });
  });
}

describe('test ports', { timeout: 20_000 }, () => {
  it('reads the kernel range and falls back to Linux defaults on nonsense', () => {
    expect(ephemeralRange('32768\t60999\n')).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralRange('1024 65000')).toEqual({ low: 1024, high: 65000 });
    expect(ephemeralRange('garbage')).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralRange(undefined)).toEqual({ low: 32768, high: 60999 });
  });

  it('chooses only from outside the ephemeral range', () => {
    expect(candidateSpans({ low: 32768, high: 60999 })).toEqual([[10_000, 32767], [61000, 65535]]);
    expect(candidateSpans({ low: 1024, high: 65535 })).toEqual([[10_000, 65535]]);
  });

  it('hands out distinct, bindable ports outside the ephemeral range', async () => {
    const { low, high } = ephemeralRange();
    const ports = await pickPorts(20);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port < low || port > high).toBe(true);
      await bind(port);
    }
  });

  it('recognises "address in use" from errno, children and codeblue', () => {
    expect(isAddressInUse(Object.assign(new Error('listen'), { code: 'EADDRINUSE' }))).toBe(true);
    expect(isAddressInUse(new Error('listen tcp 127.0.0.1:20001: bind: address already in use'))).toBe(true);
    expect(isAddressInUse(new Error('error CB_PORT_IN_USE proxy "ehr" cannot listen'))).toBe(true);
    expect(isAddressInUse(new Error('ECONNREFUSED'))).toBe(false);
  });

  it('retries a start whose port was taken in between, with fresh ports', async () => {
    const seen: number[] = [];
    const server = await withPorts(1, async ([port]) => {
      seen.push(port as number);
      // The first attempt loses the race: someone else binds the port before the start does.
      if (seen.length === 1) await bind(port as number);
      return bind(port as number);
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    expect(servers).toContain(server);
  });

  it('rethrows other errors, and gives up after the last attempt', async () => {
    await expect(withPorts(1, () => Promise.reject(new Error('ECONNREFUSED')))).rejects.toThrow('ECONNREFUSED');
    let calls = 0;
    const taken = Object.assign(new Error('taken'), { code: 'EADDRINUSE' });
    await expect(withPorts(1, () => (calls++, Promise.reject(taken)), 3)).rejects.toBe(taken);
    expect(calls).toBe(3);
  });

  it('skips a port that is taken right now', async () => {
    const port = await pickPort();
    await bind(port);
    // A pick never repeats a port it handed out, and a bound port is not free: the next pick is another port.
    expect(await pickPort()).not.toBe(port);
  });
});
