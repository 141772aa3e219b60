/** @module core: the target guard lets loopback through and nothing else unless allow-listed and allowed. */
import { describe, expect, it } from 'vitest';
import { assertTargetAllowed, hostOf, isLoopbackAddress, LOOPBACK_ONLY, type Resolver } from './index.js';

/** A name service for names that resolve off this machine (none do here; the real resolver is used elsewhere). */
const zone = (records: Record<string, string[]>): Resolver => async (host) => {
  const found = records[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

describe('isLoopbackAddress', () => {
  it.each([['127.0.0.1', true], ['127.255.255.254', true], ['::1', true], ['[::1]', true], ['::ffff:127.0.0.9', true], ['0:0:0:0:0:0:0:1', true],
    ['10.0.0.5', false], ['192.168.1.1', false], ['0.0.0.0', false], ['::', false], ['::ffff:10.0.0.1', false], ['128.0.0.1', false], ['fe80::1', false], ['localhost', false]])(
    '%s → %s', (address, expected) => {
      expect(isLoopbackAddress(address)).toBe(expected);
    });
});

describe('hostOf', () => {
  it.each([['http://127.0.0.1:8080/fhir', '127.0.0.1'], ['http://[::1]:8080', '::1'], ['127.0.0.1:5432', '127.0.0.1'], ['[::1]:5432', '::1'], ['localhost', 'localhost'], ['db.internal:5432', 'db.internal'], ['::1', '::1']])(
    '%s → %s', (target, host) => {
      expect(hostOf(target)).toBe(host);
    });
});

describe('assertTargetAllowed', () => {
  it('lets loopback literals and names that really resolve to loopback through', async () => {
    await expect(assertTargetAllowed('http://127.0.0.1:8080', LOOPBACK_ONLY)).resolves.toEqual(['127.0.0.1']);
    await expect(assertTargetAllowed('[::1]:7001', LOOPBACK_ONLY)).resolves.toEqual(['::1']);
    const viaSystem = await assertTargetAllowed('http://localhost:8080', LOOPBACK_ONLY);
    expect(viaSystem.length).toBeGreaterThan(0);
    expect(viaSystem.every(isLoopbackAddress)).toBe(true);
  });

  it('refuses non-loopback addresses with CB_TARGET_NOT_ALLOWED and a hint', async () => {
    await expect(assertTargetAllowed('http://10.1.2.3:80', LOOPBACK_ONLY)).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED', exitCode: 2, hint: expect.stringMatching(/allowHosts.*--allow-remote/) });
    await expect(assertTargetAllowed('0.0.0.0:80', LOOPBACK_ONLY)).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
  });

  it('refuses a name that resolves off loopback, even partly', async () => {
    const dns = zone({ 'ehr.hospital.test': ['10.20.30.40'], 'split.test': ['127.0.0.1', '192.168.0.9'], 'local.test': ['127.0.0.2', '::1'] });
    await expect(assertTargetAllowed('http://ehr.hospital.test', LOOPBACK_ONLY, dns)).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED', message: expect.stringContaining('10.20.30.40') });
    await expect(assertTargetAllowed('split.test:80', LOOPBACK_ONLY, dns)).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
    await expect(assertTargetAllowed('local.test:80', LOOPBACK_ONLY, dns)).resolves.toEqual(['127.0.0.2', '::1']);
  });

  it('needs both allowHosts and --allow-remote for a remote host', async () => {
    const dns = zone({ 'ehr.hospital.test': ['10.20.30.40'] });
    const listedOnly = { allowHosts: ['ehr.hospital.test'], allowRemote: false };
    await expect(assertTargetAllowed('ehr.hospital.test:7001', listedOnly, dns)).rejects.toMatchObject({ hint: expect.stringMatching(/pass --allow-remote/) });
    await expect(assertTargetAllowed('ehr.hospital.test:7001', { allowHosts: [], allowRemote: true }, dns)).rejects.toMatchObject({ code: 'CB_TARGET_NOT_ALLOWED' });
    await expect(assertTargetAllowed('ehr.hospital.test:7001', { allowHosts: ['EHR.hospital.test'], allowRemote: true }, dns)).resolves.toEqual(['10.20.30.40']);
  });

  it('reports a name that does not resolve as CB_TARGET_UNRESOLVABLE', async () => {
    await expect(assertTargetAllowed('http://no-such-host.invalid', LOOPBACK_ONLY)).rejects.toMatchObject({ code: 'CB_TARGET_UNRESOLVABLE', exitCode: 2 });
  });
});
