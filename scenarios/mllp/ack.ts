/** @module scenarios/mllp: an HL7 v2 ACK read — field lookup by `SEG-n[.c]` and the MSA-1 verdict. */

/** A parsed message: segments by CR, fields by the MSH-1 separator, components by MSH-2's first character. */
export interface Hl7Reply {
  readonly text: string;
  /** The value of `SEG-n` or `SEG-n.c` in the first such segment; undefined when absent. */
  field(address: string): string | undefined;
  /** MSA-1: AA/CA accept, AE/CE error, AR/CR reject; undefined when the reply has no MSA. */
  readonly ackCode: string | undefined;
}

/** Reads a reply; returns a reason when it is not an HL7 message (no MSH segment first). */
export function parseReply(text: string): Hl7Reply | { readonly error: string } {
  const segments = text.split(/\r\n|\r|\n/).filter((s) => s !== '');
  const msh = segments[0];
  if (msh === undefined || !msh.startsWith('MSH') || msh.length < 8) return { error: 'the reply is not an HL7 message (no MSH segment first)' };
  const fieldSep = msh[3] as string;
  const componentSep = msh[4] as string;
  const field = (address: string): string | undefined => {
    const m = /^([A-Z][A-Z0-9]{2})-(\d+)(?:\.(\d+))?$/.exec(address);
    if (m === null) return undefined;
    const [, name, fieldNo, componentNo] = m as unknown as [string, string, string, string | undefined];
    const segment = segments.find((s) => s.startsWith(`${name}${fieldSep}`) || s === name);
    if (segment === undefined) return undefined;
    const parts = segment.split(fieldSep);
    // In MSH the separator itself is MSH-1, so MSH-n is parts[n - 1]; elsewhere SEG-n is parts[n].
    const n = Number(fieldNo);
    const value = name === 'MSH' ? (n === 1 ? fieldSep : parts[n - 1]) : parts[n];
    if (value === undefined) return undefined;
    if (componentNo === undefined || (name === 'MSH' && n <= 2)) return value;
    return value.split(componentSep)[Number(componentNo) - 1];
  };
  return { text, field, ackCode: field('MSA-1') };
}

/** An ACK code that accepts the message (original and enhanced mode). */
export function isAccepted(code: string | undefined): boolean {
  return code === 'AA' || code === 'CA';
}
