/** @module demo/legacy-ehr: the feed flags — a FHIR base and a delivery mode, bad values refused with a hint. */
import { describe, expect, it } from 'vitest';
import { DemoUsageError } from '../config/flags.js';
import { parseLegacyEhrArgs } from './ehr-args.js';

describe('parseLegacyEhrArgs feed flags', () => {
  it('feeds admits only when --fhir-feed is given, through the outbox unless --feed-mode inline', () => {
    expect(parseLegacyEhrArgs([]).fhirFeed).toBeUndefined();
    expect(parseLegacyEhrArgs(['--fhir-feed', 'http://127.0.0.1:8080/fhir']).fhirFeed).toEqual({ baseUrl: 'http://127.0.0.1:8080/fhir', mode: 'outbox' });
    expect(parseLegacyEhrArgs(['--fhir-feed', 'http://127.0.0.1:8080/fhir', '--feed-mode', 'inline']).fhirFeed?.mode).toBe('inline');
  });

  it.each([
    [['--feed-mode', 'sometimes'], /--feed-mode must be outbox or inline/],
    [['--fhir-feed', '127.0.0.1:8080'], /--fhir-feed must be an http\(s\) URL/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseLegacyEhrArgs(argv)).toThrow(DemoUsageError);
    expect(() => parseLegacyEhrArgs(argv)).toThrow(message);
  });
});
