/** @module demo/stack: flag parsing, and refusing a port that answers but is not PostgreSQL. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pickPort } from '../../test/support/ports.js';
import { DemoUsageError } from '../config/flags.js';
import { DemoDatabaseError, probePostgres } from '../db/probe-postgres.js';
import { parseStackOptions } from './stack-options.js';

describe('stack options', () => {
  it('defaults to the plan addresses: fhir 8080, EHR 7001 reached directly, hardened, schema codeblue_demo', () => {
    const env = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('DEMO_') || k === 'DATABASE_URL') delete process.env[k];
    try {
      expect(parseStackOptions([])).toMatchObject({ port: 8080, ehrListen: { host: '127.0.0.1', port: 7001 }, ehrLink: { host: '127.0.0.1', port: 7001 }, mode: 'hardened', schema: 'codeblue_demo', dbMode: 'auto' });
    } finally {
      Object.assign(process.env, env);
    }
  });

  it('takes the proxy links and the fragile preset', () => {
    expect(parseStackOptions(['--ehr-link', '127.0.0.1:21001', '--db-link', '127.0.0.1:25432', '--feed-link', '127.0.0.1:21003', '--fragile'])).toMatchObject({ ehrLink: { port: 21001 }, dbLink: { port: 25432 }, feedLink: { host: '127.0.0.1', port: 21003 }, mode: 'fragile' });
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--ehr-link', 'nowhere'], /--ehr-link must be host:port/],
    [['--feed-link', '21003'], /--feed-link must be host:port/],
    [['--schema', 'Bad-Name'], /--schema must be/],
    [['--hardened', '--fragile'], /mutually exclusive/],
    [['--bogus'], /Unknown option/],
    [['--ehr-malformed-rate', '2'], /between 0 and 1/],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseStackOptions(argv)).toThrow(DemoUsageError);
    expect(() => parseStackOptions(argv)).toThrow(message);
  });
});

describe('database probe', () => {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('fails clearly when something that is not PostgreSQL holds the port', async () => {
    server = net.createServer((s) => {
      sockets.add(s);
      s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    await expect(probePostgres(`postgres://postgres@127.0.0.1:${port}/postgres`, 2000)).rejects.toBeInstanceOf(DemoDatabaseError);
  });

  it('says absent when nothing listens, present for the real server', async () => {
    const port = await pickPort(); // nothing listens there
    expect(await probePostgres(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBe('absent');
    expect(await probePostgres('postgres://postgres@127.0.0.1:5432/test')).toBe('present');
  });
});
