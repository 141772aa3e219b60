/** @module scenarios/mllp: the `mllp` step of a scenario — one HL7 v2 message over MLLP, its ACK checked. */
import { z } from 'zod';
import { positiveDuration } from '../../core/schema-kit.js';

/** Messages codeblue builds from the synthetic patient (see `buildMessage`). */
export const HL7_MESSAGE_TYPES = ['ADT^A01', 'ADT^A08', 'ORU^R01'] as const;
export type Hl7MessageType = (typeof HL7_MESSAGE_TYPES)[number];

/** An ACK field address: segment, field, optional component (`MSA-1`, `MSH-9.2`). */
const ACK_FIELD = /^[A-Z][A-Z0-9]{2}-\d{1,3}(?:\.\d{1,3})?$/;

/** The `mllp` part of a step. */
export const mllpSchema = z
  .object({
    /** `host:port` of the MLLP listener; passes the same net guard as the target. */
    address: z.string().regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'an MLLP address is host:port, e.g. 127.0.0.1:2575'),
    /** `ADT^A01`, `ADT^A08`, `ORU^R01` (built from the synthetic patient), or the message text with `{{ }}` templates. */
    message: z.string().min(1).refine((m) => (HL7_MESSAGE_TYPES as readonly string[]).includes(m) || m.startsWith('MSH'), `must be one of ${HL7_MESSAGE_TYPES.join(', ')} or a message text starting with "MSH"`),
    /** No ACK within this time: the message failed (`EMLLPTIMEOUT`). */
    timeout: positiveDuration.prefault('10s'),
    /** ACK field → expected value, each a named check (`MSA-1`, `MSA-2`, `MSH-9`). */
    expect: z.record(z.string().regex(ACK_FIELD, 'an ACK field is SEG-n or SEG-n.c, e.g. MSA-1 or MSH-9.2'), z.string()).optional(),
    /**
     * Every message ACKed `AA`/`CA` is read back after recovery through the FHIR API the interface feeds
     * (`read`: a path under target.baseUrl; `{{ id }}` = MSH-10, `{{ patient }}` = PID-3.1). It may arrive
     * asynchronously: missing ones are read again until `within` has passed.
     */
    ledger: z.object({ read: z.string().min(1), within: positiveDuration.prefault('30s') }).strict().optional(),
  })
  .strict();

type MllpSpec = z.output<typeof mllpSchema>;
