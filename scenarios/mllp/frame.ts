/** @module scenarios/mllp: MLLP framing — <VT> message <FS><CR> — and an incremental reader that rejects garbage. */

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** Wraps one HL7 message (segments joined by CR) in an MLLP frame. */
export function frameMessage(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = VT;
  body.copy(out, 1);
  out[body.length + 1] = FS;
  out[body.length + 2] = CR;
  return out;
}

/** What a chunk of the peer's bytes amounted to. */
export type FrameRead =
  | { readonly kind: 'partial' }
  | { readonly kind: 'frame'; readonly message: string }
  | { readonly kind: 'garbage'; readonly detail: string };

/**
 * Reads one reply frame. Bytes before a <VT>, or a <FS> not followed by <CR>, are not MLLP: the reader reports
 * them as garbage (the link is then out of step and must be dropped). One exchange waits for one reply, so
 * bytes after a complete frame are dropped with `reset()` when the next exchange starts.
 */
export class FrameReader {
  private parts: Buffer[] = [];
  private inFrame = false;

  /** Appends a chunk; returns the completed frame, garbage, or partial. */
  push(chunk: Buffer): FrameRead {
    let data = chunk;
    if (!this.inFrame) {
      let start = 0;
      // Line breaks between frames are tolerated (some engines send a trailing LF).
      while (start < data.length && (data[start] === 0x0a || data[start] === CR)) start++;
      if (start === data.length) return { kind: 'partial' };
      if (data[start] !== VT) return { kind: 'garbage', detail: `expected <VT> (0x0b) to start a frame, got 0x${(data[start] as number).toString(16).padStart(2, '0')}` };
      this.inFrame = true;
      data = data.subarray(start + 1);
    }
    this.parts.push(data);
    const joined = this.parts.length === 1 ? data : Buffer.concat(this.parts);
    const end = joined.indexOf(FS);
    if (end < 0 || end + 1 >= joined.length) {
      this.parts = [joined];
      return { kind: 'partial' };
    }
    if (joined[end + 1] !== CR) return { kind: 'garbage', detail: 'a frame ended with <FS> not followed by <CR>' };
    this.reset();
    return { kind: 'frame', message: joined.subarray(0, end).toString('utf8') };
  }

  reset(): void {
    this.parts = [];
    this.inFrame = false;
  }

  /** True while a frame is open (its <VT> arrived, its <FS><CR> not yet). */
  get isMidFrame(): boolean {
    return this.inFrame;
  }
}
