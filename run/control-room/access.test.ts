/** @module run/control-room: the view and control checks — token, Host, Origin, Sec-Fetch-Site and body type. */
import { describe, expect, it } from 'vitest';
import { allowedHosts, controlRefusal, newToken, tokenMatches, viewRefusal } from './access.js';

const token = newToken();
const hosts = allowedHosts('127.0.0.1', 5665);
const good = { host: '127.0.0.1:5665', origin: 'http://127.0.0.1:5665', 'sec-fetch-site': 'same-origin', 'x-codeblue-token': token, 'content-type': 'application/json' };

describe('control room access', () => {
  it('makes a fresh 256-bit token each time and compares it whole', () => {
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(newToken()).not.toBe(token);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
  });

  it('lets a loopback page be reached as 127.0.0.1, localhost or [::1], and nothing else (DNS rebinding)', () => {
    expect([...hosts].sort()).toEqual(['127.0.0.1:5665', '[::1]:5665', 'localhost:5665']);
    expect(viewRefusal({ host: 'localhost:5665' }, token, token, hosts)).toBeUndefined();
    expect(viewRefusal({ host: 'evil.example:5665' }, token, token, hosts)).toContain('unknown Host');
    expect(viewRefusal({ host: '127.0.0.1:5665' }, token, null, hosts)).toBe('missing token');
    expect(viewRefusal({ host: '127.0.0.1:5665' }, token, 'x', hosts)).toBe('wrong token');
  });

  it.each([
    ['no token header', { 'x-codeblue-token': undefined }, 'missing token'],
    ['a wrong token', { 'x-codeblue-token': 'nope' }, 'wrong token'],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 'cross-site request (Sec-Fetch-Site: cross-site)'],
    ['no Origin', { origin: undefined }, 'missing Origin header'],
    ['a foreign Origin', { origin: 'http://evil.example' }, 'foreign Origin http://evil.example'],
    ['a form post body', { 'content-type': 'application/x-www-form-urlencoded' }, 'body must be application/json'],
  ])('refuses a control with %s', (_what, change, why) => {
    expect(controlRefusal({ ...good, ...change }, token, hosts)).toBe(why);
  });

  it('accepts a control from the page itself with the token', () => {
    expect(controlRefusal(good, token, hosts)).toBeUndefined();
  });
});
