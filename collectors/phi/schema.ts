/**
 * @module collectors/phi: the plan's `compliance` slice — whether the PHI scan runs, whether a finding fails the
 * run or only warns, and which findings are allowed (by attribute key, found value, rule or service).
 */
import { z } from 'zod';
import type { DeepReadonly } from '../../core/deep-readonly.js';

const regexText = z.string().min(1).refine((text) => {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}, { message: 'is not a valid regular expression (JavaScript syntax, e.g. "^CB-SYN-")' });

/**
 * One allow-list entry. Every field given must match for a finding to be allowed (ignored, only counted).
 * `key` is the attribute key (`url.query`; `*` matches any run of characters, e.g. `http.request.header.*`);
 * `pattern` is a regular expression tested against the value that was found.
 */
const phiAllowSchema = z
  .object({
    key: z.string().min(1).optional(),
    pattern: regexText.optional(),
    rule: z.enum(['synthetic', 'ssn', 'mrn', 'phone', 'email', 'secret', 'bearer', 'jwt']).optional(),
    service: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => a.key !== undefined || a.pattern !== undefined || a.rule !== undefined || a.service !== undefined, {
    message: 'an allow entry needs at least one of key, pattern, rule, service',
  });

export const complianceSchema = z
  .object({
    /** `on` (default): every span, event, resource and log record is scanned after the run. `off`: not scanned; the report says so. */
    phiScan: z.enum(['on', 'off']).default('on'),
    /** `fail` (default): a finding fails the run (exit 1). `warn`: findings are reported but do not change the verdict. */
    onFinding: z.enum(['fail', 'warn']).default('fail'),
    /** Findings to ignore (counted as allowed, never listed). */
    allow: z.array(phiAllowSchema).default([]),
  })
  .strict();

export type ComplianceSettings = DeepReadonly<z.output<typeof complianceSchema>>;
export type PhiAllow = DeepReadonly<z.output<typeof phiAllowSchema>>;

/** The settings of a plan without a `compliance` key. */
export const DEFAULT_COMPLIANCE: ComplianceSettings = { phiScan: 'on', onFinding: 'fail', allow: [] };
