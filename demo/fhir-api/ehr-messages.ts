/** @module demo/fhir-api: the HL7 v2 messages fhir-api exchanges with the EHR (ADT^A01 out, ACK in; QRY^R02 out, ORU^R01 in). */
import { randomBytes } from 'node:crypto';
import { controlId, escapeHl7, formatHl7, hl7Timestamp, MalformedHl7Error, messageType, mshSegment, parseHl7, requireSegment, segmentsNamed, type Hl7Message } from '../hl7/message.js';

/** Admission details sent in ADT^A01. */
export interface AdmitInfo {
  readonly patientId: string;
  readonly encounterId: string;
  readonly family?: string;
  readonly given?: string;
  readonly birthDate?: string;
  readonly gender?: string;
}

/** One lab result mapped from an OBX segment. */
export interface EhrLabResult {
  readonly loinc: string;
  readonly display: string;
  readonly value: number;
  readonly unit: string;
  readonly observedAt: string;
}

/** The EHR answered, but refused (MSA AE/AR). Not retried. */
export class EhrRejectedError extends Error {
  override readonly name = 'EhrRejectedError';
}

const newControlId = (): string => `F${randomBytes(6).toString('hex')}`;

/** Builds ADT^A01; `extra` carries segments such as ZTP. */
export function buildAdmit(a: AdmitInfo, extra: readonly string[][]): { id: string; text: string } {
  const id = newControlId();
  const gender = { male: 'M', female: 'F', other: 'O', unknown: 'U' }[a.gender ?? 'unknown'] ?? 'U';
  const pv1 = ['PV1', '1', 'I', 'WARD^101^1', ...Array<string>(15).fill(''), a.encounterId];
  const segs = [
    mshSegment('CODEBLUE-FHIR', 'LEGACY-EHR', 'ADT^A01', id),
    ['EVN', 'A01', hl7Timestamp()],
    ['PID', '1', '', `${a.patientId}^^^DEMO^MR`, '', `${escapeHl7(a.family ?? '')}^${escapeHl7(a.given ?? '')}`, '', (a.birthDate ?? '').replace(/-/g, ''), gender],
    pv1,
    ...extra,
  ];
  return { id, text: formatHl7(segs) };
}

/** Builds QRY^R02 asking for a patient's results. */
export function buildResultsQuery(patientId: string, extra: readonly string[][]): { id: string; text: string } {
  const id = newControlId();
  const segs = [mshSegment('CODEBLUE-FHIR', 'LEGACY-EHR', 'QRY^R02', id), ['QRD', hl7Timestamp(), 'R', 'I', id, '', '', '10^RD', patientId, 'RES'], ...extra];
  return { id, text: formatHl7(segs) };
}

/** Parses a reply and checks its MSA acknowledges `expectedId`; throws MalformedHl7Error or EhrRejectedError. */
export function parseAcknowledged(text: string, expectedId: string): Hl7Message {
  const msg = parseHl7(text);
  const msa = requireSegment(msg, 'MSA');
  if (msa[1] !== 'AA') throw new EhrRejectedError(`EHR answered ${msa[1] ?? '?'}: ${msa[3] ?? 'no reason given'}`);
  if (msa[2] !== expectedId) throw new MalformedHl7Error(`EHR acknowledged control id "${msa[2] ?? ''}", expected "${expectedId}"`);
  return msg;
}

/** Maps ORU^R01 OBX segments to results; any inconsistent segment makes the whole reply malformed. */
export function parseResults(msg: Hl7Message): EhrLabResult[] {
  if (!messageType(msg).startsWith('ORU^R01')) throw new MalformedHl7Error(`expected ORU^R01, got ${messageType(msg)} (${controlId(msg)})`);
  return segmentsNamed(msg, 'OBX').map((obx) => {
    const [loinc, display] = (obx[3] ?? '').split('^');
    const value = Number(obx[5]);
    if (obx[2] !== 'NM' || !loinc || !Number.isFinite(value) || (obx[5] ?? '') === '') throw new MalformedHl7Error(`OBX ${obx[1] ?? '?'} is incomplete`);
    const ts = obx[14] ?? '';
    const observedAt = /^\d{14}$/.test(ts) ? `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}Z` : new Date().toISOString();
    return { loinc, display: display ?? loinc, value, unit: obx[6] ?? '', observedAt };
  });
}
