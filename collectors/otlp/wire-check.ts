/**
 * @module collectors/otlp: a strict pass over protobuf wire data before protobufjs decodes it. protobufjs is
 * lenient: it skips field number 0 and decodes a known field whatever wire type it came with. Here, as in
 * protobuf-go's decoder, field number 0 and wire types 6 and 7 are errors; so are groups (3, 4: OTLP is
 * proto3) and a known field sent with another wire type than its declared one. Unknown fields with a valid
 * wire type are skipped (the OTLP spec says receivers ignore them). Iterative, so deep nesting cannot
 * overflow the stack.
 */
import protobuf from 'protobufjs';

/** The body is not valid protobuf for the message type: the receiver answers 400. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group start', 'group end', 'fixed32', 'invalid (6)', 'invalid (7)'];

/** What the check needs of one known field: allowed wire types as a bit mask, and its message type if any. */
interface FieldRule {
  readonly name: string;
  readonly wireMask: number;
  readonly message: protobuf.Type | undefined;
}

/** Per message type, rules indexed by field number (built once: the OTLP types are fixed for the process). */
type Rules = ReadonlyMap<number, FieldRule>;

interface Frame {
  readonly rules: Rules | undefined;
  readonly end: number;
}

const rulesCache = new WeakMap<protobuf.Type, Rules>();

function rulesOf(type: protobuf.Type): Rules {
  let rules = rulesCache.get(type);
  if (!rules) {
    const map = new Map<number, FieldRule>();
    for (const field of type.fieldsArray) {
      const message = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
      map.set(field.id, { name: field.name, wireMask: allowedWireTypes(field).reduce((m, w) => m | (1 << w), 0), message });
    }
    rules = map;
    rulesCache.set(type, rules);
  }
  return rules;
}

/** Wire types a field may arrive with: its declared one, and length-delimited for packed repeated scalars. */
function allowedWireTypes(field: protobuf.Field): readonly number[] {
  if (field.map || field.resolvedType instanceof protobuf.Type) return [2];
  if (field.resolvedType instanceof protobuf.Enum) return field.repeated ? [0, 2] : [0];
  const basic = (protobuf.types.basic as Record<string, number | undefined>)[field.type];
  if (basic === undefined) return [2];
  const packable = (protobuf.types.packed as Record<string, number | undefined>)[field.type] !== undefined;
  return field.repeated && packable ? [basic, 2] : [basic];
}

/** Throws WireError when `bytes` is not well-formed protobuf for `type` (see the module comment). */
export function checkWire(type: protobuf.Type, bytes: Uint8Array): void {
  let pos = 0;
  const fail = (what: string, at = pos): never => {
    throw new WireError(`invalid protobuf: ${what} at offset ${at}`);
  };
  const varint = (limit: number): number => {
    // Lengths and tags fit in 32 bits; the bytes past the fifth only matter for 64-bit values, which are skipped.
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= limit) return fail('truncated varint');
      const b = bytes[pos++] as number;
      if (i < 5) {
        value += (b & 0x7f) * scale;
        scale *= 128;
      }
      if (b < 0x80) return value;
    }
    return fail('varint longer than 10 bytes');
  };
  const stack: Frame[] = [{ rules: rulesOf(type), end: bytes.length }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (pos === frame.end) {
      stack.pop();
      continue;
    }
    const tagAt = pos;
    const first = bytes[pos] as number;
    const tag = first < 0x80 ? (pos++, first) : varint(frame.end);
    if (tag > 0xffffffff) fail('tag wider than 32 bits', tagAt);
    const fieldNumber = Math.floor(tag / 8);
    const wire = tag % 8;
    if (fieldNumber === 0) fail('field number 0', tagAt);
    if (wire === 3 || wire === 4 || wire > 5) fail(`field ${fieldNumber} has wire type ${wire} (${WIRE_NAMES[wire]})`, tagAt);
    const field = frame.rules?.get(fieldNumber);
    if (field && (field.wireMask & (1 << wire)) === 0) {
      const expected = WIRE_NAMES.filter((_, w) => (field.wireMask & (1 << w)) !== 0).join(' or ');
      fail(`field ${fieldNumber} (${field.name}) has wire type ${wire} (${WIRE_NAMES[wire]}), expected ${expected}`, tagAt);
    }
    if (wire === 0) varint(frame.end);
    else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > frame.end) fail('truncated fixed-width value');
    } else {
      const head = pos < frame.end ? (bytes[pos] as number) : 0x80;
      const length = head < 0x80 ? (pos++, head) : varint(frame.end);
      if (pos + length > frame.end) fail(`length ${length} runs past the end of its message`);
      if (field?.message) stack.push({ rules: rulesOf(field.message), end: pos + length });
      else pos += length;
    }
  }
}
