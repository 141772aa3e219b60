import { describe, expect, it } from 'vitest';
import { FrameReader, frameMessage } from './frame.js';
import { parseReply } from './ack.js';

describe('MLLP framing', () => {
  it('frames a message as <VT> message <FS><CR> and reads it back split over any chunk boundaries', () => {
    const frame = frameMessage('MSH|^~\\&|A\rMSA|AA|1');
    expect([...frame.subarray(0, 1)]).toEqual([0x0b]);
    expect([...frame.subarray(-2)]).toEqual([0x1c, 0x0d]);
    for (let cut = 1; cut < frame.length; cut++) {
      const reader = new FrameReader();
      expect(reader.push(frame.subarray(0, cut))).toEqual({ kind: 'partial' });
      expect(reader.isMidFrame).toBe(true);
      expect(reader.push(frame.subarray(cut))).toEqual({ kind: 'frame', message: 'MSH|^~\\&|A\rMSA|AA|1' });
      expect(reader.isMidFrame).toBe(false);
    }
  });

  it('reports bytes before <VT> and a <FS> without <CR> as garbage', () => {
    expect(new FrameReader().push(Buffer.from('HTTP/1.1 200'))).toMatchObject({ kind: 'garbage', detail: expect.stringContaining('got 0x48') });
    expect(new FrameReader().push(Buffer.from('\x0bMSH|x\x1cZ'))).toMatchObject({ kind: 'garbage', detail: 'a frame ended with <FS> not followed by <CR>' });
  });
});

describe('ACK fields', () => {
  it('reads SEG-n and SEG-n.c, with MSH counted from its separator', () => {
    const r = parseReply('MSH|^~\\&|EHR|HOSP|CB|LOAD|20260101||ACK^A01^ACK|R1|P|2.5\rMSA|AE|CB1|unknown patient');
    if ('error' in r) throw new Error(r.error);
    expect(r.ackCode).toBe('AE');
    expect(r.field('MSA-2')).toBe('CB1');
    expect(r.field('MSA-3')).toBe('unknown patient');
    expect(r.field('MSH-1')).toBe('|');
    expect(r.field('MSH-3')).toBe('EHR');
    expect(r.field('MSH-9')).toBe('ACK^A01^ACK');
    expect(r.field('MSH-9.2')).toBe('A01');
    expect(r.field('ERR-1')).toBeUndefined();
    expect(parseReply('garbage')).toEqual({ error: 'the reply is not an HL7 message (no MSH segment first)' });
  });
});
