/** @module chaos/toxics: the explicit list of toxic types the embedded server knows. */
import { bandwidth } from './bandwidth.js';
import { httpDelay } from './http-delay.js';
import { httpError } from './http-error.js';
import { latency } from './latency.js';
import { limitData } from './limit-data.js';
import { noop } from './noop.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { slowClose } from './slow-close.js';
import { timeout } from './timeout.js';
import type { ToxicDefinition } from './toxic.js';

/** Toxiproxy's eight types, then codeblue's HTTP-level ones. */
export const TOXICS = [
  noop, latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, httpError, httpDelay,
] as const satisfies readonly ToxicDefinition[];

const BY_TYPE = new Map<string, ToxicDefinition>(TOXICS.map((t) => [t.type, t]));

/** The definition for a wire type, or undefined (Toxiproxy: `invalid toxic type`). */
export function findToxic(type: string): ToxicDefinition | undefined {
  return BY_TYPE.get(type);
}
