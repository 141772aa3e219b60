/** @module run: the shapes the ledger and its batched read-back share — an acknowledged write and the writer's credential. */

/** What the load engine records for each acknowledged write (scenarios' `LedgerEntry`, by shape). */
export interface AcknowledgedWrite {
  readonly at: number;
  readonly scenario: string;
  readonly resourceType: string;
  readonly id: string;
  readonly readPath: string;
  readonly keyFields: Readonly<Record<string, string>>;
  /** Only these top-level elements are compared (plan step `ledger.compare`); absent = the whole resource. */
  readonly compare?: readonly string[];
  /** An HL7 message: only that it reads back counts (200, and not an empty search Bundle). */
  readonly existsOnly?: true;
  /** A feed may deliver it after the run: missing or unreadable, it is read again until this long after the first read, ms. */
  readonly withinMs?: number;
}

/** The credential a read-back carries: the headers of the scenario that wrote it, or why there is none. */
export type LedgerAuthorize = (scenario: string) => Promise<{ readonly ok: true; readonly headers: Readonly<Record<string, string>> } | { readonly ok: false; readonly message: string }>;
