/**
 * @module scenarios/mllp: HL7 v2 messages from the synthetic patient (ADT^A01 admit, ADT^A08 update, ORU^R01
 * vitals) and from plan templates, each with a control id (MSH-10) of its own.
 */
import type { SyntheticRecord } from '../synthetic/generate.js';
import { HL7_MESSAGE_TYPES, type Hl7MessageType } from './schema.js';

/** HL7 timestamp `YYYYMMDDHHMMSS` (UTC). */
function hl7Timestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Escapes the HL7 delimiters in a value taken from data. */
function escapeHl7(value: string): string {
  return value.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/\^/g, '\\S\\').replace(/&/g, '\\T\\').replace(/~/g, '\\R\\').replace(/[\r\n]/g, ' ');
}

export function isBuiltInType(message: string): message is Hl7MessageType {
  return (HL7_MESSAGE_TYPES as readonly string[]).includes(message);
}

/** A built-in message for `p`; segments joined by CR, MSH-10 = `controlId`. */
export function buildMessage(type: Hl7MessageType, p: SyntheticRecord, controlId: string, at: Date): string {
  const ts = hl7Timestamp(at);
  const msh = ['MSH', '^~\\&', 'CODEBLUE', 'LOAD', 'EHR', 'HOSP', ts, '', type === 'ORU^R01' ? 'ORU^R01^ORU_R01' : `${type}^ADT_A01`, controlId, 'P', '2.5'];
  const pid = ['PID', '1', '', `${escapeHl7(p.identifier)}^^^CODEBLUE^MR`, '', `${escapeHl7(p.family)}^${escapeHl7(p.given)}`, '', p.birthDate.replace(/-/g, ''), sex(p.gender), '', '', '', escapeHl7(p.phone)];
  const segments: string[][] = [msh, type === 'ORU^R01' ? [] : ['EVN', type.slice(4), ts], pid];
  if (type === 'ORU^R01') {
    segments.push(['OBR', '1', controlId, '', '85353-1^Vital signs panel^LN', '', '', ts]);
    segments.push(['OBX', '1', 'NM', '8867-4^Heart rate^LN', '', String(p.heartRate), '/min', '', '', '', '', 'F']);
    segments.push(['OBX', '2', 'NM', '9279-1^Respiratory rate^LN', '', String(p.respiratoryRate), '/min', '', '', '', '', 'F']);
    segments.push(['OBX', '3', 'NM', '8310-5^Body temperature^LN', '', String(p.bodyTemperature), 'Cel', '', '', '', '', 'F']);
  } else {
    // PV1-19 (visit number) = the control id: the receiver can file the visit under an id the sender knows.
    segments.push(['PV1', '1', 'I', 'WARD^101^1', ...Array<string>(15).fill(''), controlId]);
  }
  return segments.filter((s) => s.length > 0).map((s) => s.join('|')).join('\r');
}

/** A rendered plan template: line breaks become CR, MSH-10 is set to `controlId` (added when missing). */
export function withControlId(rendered: string, controlId: string): string {
  const segments = rendered.split(/\r\n|\r|\n/).map((s) => s.trim()).filter((s) => s !== '');
  const msh = segments[0] as string;
  const sep = msh[3] ?? '|';
  const fields = msh.split(sep);
  // MSH-1 is the separator itself, so MSH-10 is fields[9].
  while (fields.length < 10) fields.push('');
  fields[9] = controlId;
  segments[0] = fields.join(sep);
  return segments.join('\r');
}

function sex(gender: string): string {
  return gender === 'male' ? 'M' : gender === 'female' ? 'F' : gender === 'other' ? 'O' : 'U';
}
