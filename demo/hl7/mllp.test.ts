/** @module demo/hl7: MLLP framing, HL7 parsing, and a round trip with the legacy EHR over real TCP. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLegacyEhr, type LegacyEhr } from '../legacy-ehr/ehr-service.js';
import { buildAdmit, buildResultsQuery, parseAcknowledged, parseResults } from '../fhir-api/ehr-messages.js';
import { exchangeMllp, frameMllp, MllpDecoder, MllpTransportError, startMllpServer } from './mllp.js';
import { MalformedHl7Error, parseHl7 } from './message.js';

describe('MLLP framing', () => {
  it('decodes frames split across chunks and several frames in one chunk', () => {
    const bytes = Buffer.concat([frameMllp('MSH|a'), frameMllp('MSH|b'), frameMllp('MSH|c')]);
    const decoder = new MllpDecoder();
    const out = [...decoder.push(bytes.subarray(0, 4)), ...decoder.push(bytes.subarray(4, 13)), ...decoder.push(bytes.subarray(13))];
    expect(out).toEqual(['MSH|a', 'MSH|b', 'MSH|c']);
  });

  it('wraps a message in VT … FS CR', () => {
    expect([...frameMllp('X')]).toEqual([0x0b, 0x58, 0x1c, 0x0d]);
  });
});

describe('HL7 parsing', () => {
  it('rejects messages without MSH, with bad segment names or a short MSH', () => {
    expect(() => parseHl7('PID|1')).toThrow(MalformedHl7Error);
    expect(() => parseHl7('MSH|^~\\&|a|b|c|d|e||ADT^A01|1|P|2.5\rM$A|AA|1')).toThrow(/invalid name/);
    expect(() => parseHl7('MSH|^~\\&|a')).toThrow(/MSH has/);
  });
});

describe('legacy EHR over MLLP', () => {
  let ehr: LegacyEhr | undefined;
  afterEach(async () => {
    await ehr?.stop();
    ehr = undefined;
  });

  it('acknowledges an ADT^A01 admit and records it', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0 });
    const msg = buildAdmit({ patientId: 'p-1', encounterId: 'e-1', family: 'Doe', given: 'Jane', gender: 'female' }, []);
    const reply = await exchangeMllp(ehr.mllp, msg.text, 2000);
    expect(parseAcknowledged(reply, msg.id).segments[0]?.[8]).toBe('ACK^A01');
    expect(ehr.state.admits.get('e-1')).toMatchObject({ patientId: 'p-1', encounterId: 'e-1' });
  });

  it('answers a results query with ORU^R01 whose OBX segments map to lab results', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0 });
    const q = buildResultsQuery('p-2', []);
    const results = parseResults(parseAcknowledged(await exchangeMllp(ehr.mllp, q.text, 2000), q.id));
    expect(results.map((r) => r.loinc)).toEqual(['8867-4', '8310-5', '2339-0']);
    expect(results.every((r) => Number.isFinite(r.value))).toBe(true);
  });

  it('sends malformed replies at the configured rate, which the parser rejects', async () => {
    const seq = [0.1, 0, 0]; // delay jitter, "malformed?" draw (< rate), which corruption (0 = truncated)
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 1, random: () => seq.shift() ?? 0.5 });
    const q = buildResultsQuery('p-3', []);
    const reply = await exchangeMllp(ehr.mllp, q.text, 2000);
    expect(() => parseResults(parseAcknowledged(reply, q.id))).toThrow(MalformedHl7Error);
    expect(ehr.state.malformedSent).toBe(1);
  });

  it('times out when the EHR is slower than the attempt timeout', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 2000, jitterMs: 0, malformedRate: 0 });
    await expect(exchangeMllp(ehr.mllp, buildResultsQuery('p', []).text, 100)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('reports a refused connection as a transport error', async () => {
    ehr = await startLegacyEhr({ listen: { host: '127.0.0.1', port: 0 }, healthPort: 0, delayMs: 0, jitterMs: 0, malformedRate: 0 });
    const port = ehr.mllp.port;
    await ehr.stop();
    ehr = undefined;
    await expect(exchangeMllp({ host: '127.0.0.1', port }, 'MSH', 1000)).rejects.toBeInstanceOf(MllpTransportError);
  });
});

describe('MLLP server', () => {
  it('keeps answering later messages on a connection after one handler rejects', async () => {
    const failures: string[] = [];
    const server = await startMllpServer(
      { host: '127.0.0.1', port: 0 },
      async (message) => {
        if (message === 'MSH|bad') throw new Error('handler failed');
        return `ACK ${message}`;
      },
      (_err, message) => failures.push(message),
    );
    const socket = net.connect(server.address);
    try {
      const decoder = new MllpDecoder();
      const replies: string[] = [];
      const gotTwo = new Promise<void>((resolve, reject) => {
        socket.on('data', (chunk) => {
          replies.push(...decoder.push(chunk));
          if (replies.length >= 2) resolve();
        });
        socket.on('error', reject);
      });
      socket.write(Buffer.concat([frameMllp('MSH|one'), frameMllp('MSH|bad'), frameMllp('MSH|two')]));
      await gotTwo;
      expect(replies).toEqual(['ACK MSH|one', 'ACK MSH|two']);
      expect(failures).toEqual(['MSH|bad']);
    } finally {
      socket.destroy();
      await server.close();
    }
  }, 10_000);
});
