/** @module scenarios/mllp: one `mllp` step of an iteration — render, send, read the ACK, record hl7_* metrics and checks. */
import { randomBytes } from 'node:crypto';
import type { CheckSample } from '../../core/sample.js';
import { millis } from '../../core/units.js';
import type { MllpStep } from '../schema.js';
import type { SyntheticRecord } from '../synthetic/generate.js';
import { renderText, TemplateError, type TemplateScope } from '../portable/template.js';
import type { ScenarioRuntime } from '../engine/iteration.js';
import { isAccepted, parseReply } from './ack.js';
import { frameMessage } from './frame.js';
import { buildMessage, isBuiltInType, withControlId } from './messages.js';

/** Messages sent (counter), their round trip to the ACK (trend, ms), and the share that failed (rate). */
const HL7_MSGS = 'hl7_msgs';
const HL7_MSG_DURATION = 'hl7_msg_duration';
const HL7_MSG_FAILED = 'hl7_msg_failed';

/** Control ids (MSH-10) unique within a run and unlikely to repeat across runs: `CB` + run tag + sequence. */
export class ControlIds {
  private n = 0;
  private readonly tag = randomBytes(3).toString('hex').toUpperCase();

  next(): string {
    return `CB${this.tag}${(++this.n).toString(36).toUpperCase()}`;
  }
}

/** A rendered message ready to frame. */
export interface PreparedMessage {
  readonly text: string;
  readonly controlId: string;
  /** The step's `ledger.read` for this message, when it has one and it rendered. */
  readonly readPath?: string;
}

/** Renders the step's message with a fresh control id; a TemplateError is counted as a render failure, then rethrown. */
export function prepareMessage(rt: ScenarioRuntime, step: MllpStep, scope: () => TemplateScope, controlIds: ControlIds): PreparedMessage {
  const controlId = controlIds.next();
  const m = step.mllp.message;
  let text: string;
  try {
    text = isBuiltInType(m) ? buildMessage(m, scope().synthetic as SyntheticRecord, controlId, new Date()) : withControlId(renderText(m, scope()), controlId);
  } catch (err) {
    if (err instanceof TemplateError) rt.renderFailed(step.name, err.message);
    throw err;
  }
  const read = step.mllp.ledger?.read;
  if (read === undefined) return { text, controlId };
  try {
    return { text, controlId, readPath: renderText(read, { ...scope(), id: controlId, patient: hl7Field(text, 'PID', 3) }) };
  } catch (err) {
    // The message can still be sent; that it cannot be read back is counted, never silently skipped.
    rt.renderFailed(`${step.name} (ledger read)`, err instanceof Error ? err.message : String(err));
    return { text, controlId };
  }
}

/** First component of `SEG-n` in a CR-separated message (`PID-3` → the patient identifier), '' when absent. */
function hl7Field(text: string, segment: string, n: number): string {
  const seg = text.split('\r').find((s) => s.startsWith(`${segment}|`));
  const field = segment === 'MSH' ? seg?.split('|')[n - 1] : seg?.split('|')[n];
  return (field ?? '').split('^')[0] ?? '';
}

/** `ADT^A01` from MSH-9 (`ADT^A01^ADT_A01`): names the message in the ledger's missing ids. */
function messageTypeOf(text: string): string {
  const seg = text.split('\r')[0] ?? '';
  return (seg.split('|')[8] ?? '').split('^').slice(0, 2).join('^') || 'HL7';
}

/** Entries of acknowledged messages carry no fields to compare: one shared empty object. */
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/** What a sent message came to (failures are data: the iteration goes on). */
export interface MllpOutcome {
  readonly failed: boolean;
  /** MSA-1 of the reply, when there was one. */
  readonly ack: string | undefined;
  /** Why it failed, in words (an ACK code with MSA-3 text, a timeout, garbage, a close mid-frame). */
  readonly reason: string | undefined;
}

/** Sends the message on the VU's link and records `hl7_msgs`, `hl7_msg_duration`, `hl7_msg_failed` and the step's ACK checks. */
export async function sendMessage(rt: ScenarioRuntime, step: MllpStep, message: PreparedMessage, group: string, vu: number, signal: AbortSignal): Promise<MllpOutcome | undefined> {
  const links = rt.mllp;
  if (links === undefined) throw new Error('scenario runtime has no MLLP links (runLoad creates them)');
  const requestedAt = rt.clock.now();
  const perfAtRequest = performance.now();
  const x = await links.linkFor(rt.scenario, vu, step.mllp.address).exchange(frameMessage(message.text), step.mllp.timeout, signal);
  // Cut off by our own stop: not the peer's failure, not recorded.
  if (!x.ok && x.errorCode === 'EABORTED' && signal.aborted) return undefined;
  const reply = x.ok ? parseReply(x.reply) : undefined;
  const ack = reply !== undefined && !('error' in reply) ? reply.ackCode : undefined;
  let errorCode: string | undefined;
  let reason: string | undefined;
  if (!x.ok) [errorCode, reason] = [x.errorCode, x.message];
  else if (reply !== undefined && 'error' in reply) [errorCode, reason] = ['EMLLPNOTHL7', reply.error];
  else if (ack === undefined) [errorCode, reason] = ['EMLLPNOACK', 'the reply has no MSA segment (not an ACK)'];
  else if (reply !== undefined && !('error' in reply) && reply.field('MSA-2') !== message.controlId) {
    // MSA-2 echoes the MSH-10 it acknowledges: an ACK for another message does not acknowledge this one.
    [errorCode, reason] = ['EMLLPACKMISMATCH', `the ACK is for control id "${reply.field('MSA-2') ?? ''}", not this message's`];
  } else if (!isAccepted(ack)) {
    const text = reply !== undefined && !('error' in reply) ? reply.field('MSA-3') : undefined;
    [errorCode, reason] = [`ACK_${ack}`, `the peer answered ${ack}${text ? `: ${text}` : ''}`];
  }
  const doneAt = requestedAt + (x.doneAt - perfAtRequest);
  const tags: Record<string, string> = { ...rt.tags, scenario: rt.scenario, name: step.name, group, ack: ack ?? '' };
  if (errorCode !== undefined) tags.error = errorCode;
  const store = rt.recorder.store;
  store.add(HL7_MSGS, tags, doneAt, 1);
  store.add(HL7_MSG_DURATION, tags, doneAt, x.doneAt - x.startedAt);
  store.add(HL7_MSG_FAILED, tags, doneAt, errorCode === undefined ? 0 : 1);
  // The summary groups errors by message: the peer's MSA-3 text stays out of it (its variety is unbounded).
  if (reason !== undefined) rt.noteError(`${step.name}: ${ack !== undefined && errorCode === `ACK_${ack}` ? `the peer answered ${ack}` : reason}`);
  if (step.mllp.expect !== undefined) {
    const at = millis(rt.clock.now());
    for (const [field, want] of Object.entries(step.mllp.expect)) {
      const got = reply !== undefined && !('error' in reply) ? reply.field(field) : undefined;
      const cs: CheckSample = { at, scenario: rt.scenario, group, name: `${field} is ${want}`, ok: got === want };
      rt.recorder.recordCheck(cs);
      rt.checks?.add(cs);
    }
  }
  if (errorCode === undefined && message.readPath !== undefined && step.mllp.ledger !== undefined) {
    rt.ledger?.add({
      at: doneAt, scenario: rt.scenario, step: step.name, resourceType: messageTypeOf(message.text), id: message.controlId,
      readPath: message.readPath, keyFields: NO_FIELDS, existsOnly: true, withinMs: step.mllp.ledger.within, traceId: '',
    });
  }
  return { failed: errorCode !== undefined, ack, reason };
}
