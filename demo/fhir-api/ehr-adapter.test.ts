/** @module demo/fhir-api: the EHR adapter under each preset — retries on malformed replies, breaker, fragile errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { startLegacyEhr, type LegacyEhr } from '../legacy-ehr/ehr-service.js';
import { MalformedHl7Error } from '../hl7/message.js';
import { createEhrAdapter, type EhrAdapter } from './ehr-adapter.js';
import { PRESETS } from './resilience.js';

describe('EHR adapter', () => {
  let ehr: LegacyEhr | undefined;
  let adapter: EhrAdapter | undefined;
  afterEach(async () => {
    adapter?.shutdown();
    await ehr?.stop();
    ehr = undefined;
  });

  // Draws per message: jitter, malformed?, (corruption kind when malformed). First reply malformed, then good.
  const malformedOnce = (): (() => number) => {
    const seq = [0, 0, 1, 0, 0.99];
    return () => seq.shift() ?? 0.99;
  };

  it('hardened: retries a malformed reply and returns the results of the next attempt', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0.5, random: malformedOnce() });
    adapter = createEhrAdapter(ehr.mllp, PRESETS.hardened);
    const results = await adapter.labResults('p-1');
    expect(results).toHaveLength(3);
    expect(ehr.state.messages).toBe(2);
    expect(ehr.state.malformedSent).toBe(1);
  });

  it('fragile: a malformed reply fails the call', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0.5, random: malformedOnce() });
    adapter = createEhrAdapter(ehr.mllp, PRESETS.fragile);
    await expect(adapter.labResults('p-1')).rejects.toBeInstanceOf(MalformedHl7Error);
    expect(ehr.state.messages).toBe(1);
    expect(adapter.status().breaker).toBe('off');
  });

  it('hardened: opens the breaker after repeated failures and then fails fast without calling the EHR', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 1 });
    adapter = createEhrAdapter(ehr.mllp, PRESETS.hardened);
    for (let i = 0; i < 4; i++) await expect(adapter.labResults('p')).rejects.toThrow();
    expect(adapter.status().breaker).toBe('open');
    const seen = ehr.state.messages;
    await expect(adapter.admit({ patientId: 'p', encounterId: 'e' })).rejects.toThrow(/open/i);
    expect(ehr.state.messages).toBe(seen);
  });
});
