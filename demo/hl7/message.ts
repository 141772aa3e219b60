/** @module demo/hl7: build and strictly parse HL7 v2 pipe-delimited messages (segments split by CR). */

/** A parsed HL7 v2 message: segments, each a list of fields (index 0 is the segment name). */
export interface Hl7Message {
  readonly segments: readonly (readonly string[])[];
}

/** Thrown when a message breaks HL7 v2 structure; the adapter treats it as a retryable, inconsistent reply. */
export class MalformedHl7Error extends Error {
  override readonly name = 'MalformedHl7Error';
}

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

/** HL7 timestamp `YYYYMMDDHHMMSS` in UTC. */
export function hl7Timestamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Escapes the HL7 delimiters inside a free-text field value. */
export function escapeHl7(value: string): string {
  return value.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/\^/g, '\\S\\').replace(/&/g, '\\T\\').replace(/~/g, '\\R\\').replace(/[\r\n]/g, ' ');
}

/** Serialises segments (each `[name, field1, field2, …]`) joined by CR. */
export function formatHl7(segments: readonly (readonly string[])[]): string {
  return segments.map((s) => s.join('|')).join('\r');
}

/** Builds an MSH segment for `type` (e.g. `ADT^A01`) with control id `controlId`. */
export function mshSegment(from: string, to: string, type: string, controlId: string): string[] {
  return ['MSH', '^~\\&', from, 'DEMO', to, 'HOSP', hl7Timestamp(), '', type, controlId, 'P', '2.5'];
}

/** Parses text into segments; throws MalformedHl7Error on anything a strict receiver would reject. */
export function parseHl7(text: string): Hl7Message {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.length > 0);
  if (lines.length === 0) throw new MalformedHl7Error('empty HL7 message');
  const segments = lines.map((line, i) => {
    const fields = line.split('|');
    const name = fields[0] ?? '';
    if (!SEGMENT_NAME.test(name)) throw new MalformedHl7Error(`segment ${i + 1} has an invalid name "${name.slice(0, 10)}"`);
    return fields;
  });
  const msh = segments[0];
  if (msh?.[0] !== 'MSH') throw new MalformedHl7Error('message does not start with MSH');
  if (msh.length < 12 || msh[1] !== '^~\\&') throw new MalformedHl7Error(`MSH has ${msh.length} fields or bad encoding characters`);
  return { segments };
}

/** MSH-n by its HL7 number (MSH-1 is the field separator itself, so MSH-n sits at index n-1). */
function mshField(msg: Hl7Message, n: number): string {
  return msg.segments[0]?.[n - 1] ?? '';
}

/** The message type, e.g. `ADT^A01`. */
export function messageType(msg: Hl7Message): string {
  return mshField(msg, 9);
}

/** The message control id (MSH-10). */
export function controlId(msg: Hl7Message): string {
  return mshField(msg, 10);
}

/** All segments named `name`. */
export function segmentsNamed(msg: Hl7Message, name: string): readonly (readonly string[])[] {
  return msg.segments.filter((s) => s[0] === name);
}

/** The first segment named `name`, or throws MalformedHl7Error when it is required and missing. */
export function requireSegment(msg: Hl7Message, name: string): readonly string[] {
  const seg = msg.segments.find((s) => s[0] === name);
  if (!seg) throw new MalformedHl7Error(`${messageType(msg) || 'message'} is missing its ${name} segment`);
  return seg;
}
