/**
 * @module collectors/phi: what PHI and secrets look like — the run's own synthetic values and credentials, and
 * PHI- or credential-shaped text (SSN-like, MRN-like, phone, email, bearer tokens, JWTs) — and how a found value
 * is masked before it is printed anywhere.
 */

/** `secret`: a credential this run used (token, client secret); `bearer` / `jwt`: any text shaped like one. */
export type PhiRule = 'synthetic' | 'ssn' | 'mrn' | 'phone' | 'email' | 'secret' | 'bearer' | 'jwt';

interface ShapeRule {
  readonly rule: Exclude<PhiRule, 'synthetic' | 'secret'>;
  readonly pattern: RegExp;
  /** Only applies when the attribute key looks like this (undefined = any key). */
  readonly key?: RegExp;
  /**
   * A character every match holds: text without it is skipped before the pattern runs. V8 tries a pattern at every
   * start, so the email rule reads up to 64 characters at each of a 4 KB URL query's positions (an `_id` search of the
   * ledger's read-back) before failing for want of an `@`.
   */
  readonly needs?: string;
}

const SHAPES: readonly ShapeRule[] = [
  { rule: 'ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/, needs: '-' },
  { rule: 'mrn', pattern: /\bMRN[\s:#-]*[A-Z0-9]{5,12}\b/i },
  { rule: 'mrn', pattern: /^[A-Z]{0,4}-?\d{5,12}$/i, key: /(^|[._-])mrn($|[._-])|medical[._-]?record/i },
  { rule: 'phone', pattern: /(?<![\d-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d-])/ },
  // Bounded parts (RFC 5321: a local part ≤ 64, a label ≤ 63): an unbounded `+` retried at every start of a long
  // run with no `@` (a URL-encoded query of 4 KB) is quadratic — 15 ms per span at ingest instead of 0.1 ms.
  { rule: 'email', pattern: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,63}/, needs: '@' },
  // A JWS/JWT in compact form: base64url JSON header and payload (both start `{"` → `eyJ`), then the signature.
  { rule: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, needs: 'eyJ' },
  // RFC 6750 §2.1 credentials: `Bearer` and a b64token of some length (not the word in prose).
  { rule: 'bearer', pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*/i },
];

/** Credentials shorter than this are not looked for (a 3-character "secret" would match everywhere). */
const MIN_SECRET_LENGTH = 8;

/** Synthetic values shorter than this only match a whole value, not inside text (avoids "Al" in "Alert"). */
const MIN_CONTAINED_LENGTH = 4;

export interface PhiMatcher {
  /** The first rule `text` (under attribute `key`) breaks, with the matched part; undefined when clean. */
  match(key: string, text: string): { rule: PhiRule; matched: string } | undefined;
}

/** Builds a matcher for the run's synthetic values (case-insensitive), its credentials (exact), plus the shape rules. */
export function createPhiMatcher(syntheticValues: readonly string[], secretValues: readonly string[] = []): PhiMatcher {
  const secrets = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  const secretPattern = secrets.length > 0 ? new RegExp(secrets.map(escape).join('|')) : undefined;
  const values = [...new Set(syntheticValues.map((v) => v.trim()).filter((v) => v !== ''))];
  const contained = values.filter((v) => v.length >= MIN_CONTAINED_LENGTH).sort((a, b) => b.length - a.length);
  const whole = new Set(values.filter((v) => v.length < MIN_CONTAINED_LENGTH).map((v) => v.toLowerCase()));
  const containedPattern = contained.length > 0 ? new RegExp(contained.map(escape).join('|'), 'i') : undefined;
  return {
    match(key, text) {
      const secret = secretPattern?.exec(text);
      if (secret) return { rule: 'secret', matched: secret[0] };
      if (whole.has(text.trim().toLowerCase())) return { rule: 'synthetic', matched: text.trim() };
      const s = containedPattern?.exec(text);
      if (s) return { rule: 'synthetic', matched: s[0] };
      for (const shape of SHAPES) {
        if ((shape.needs !== undefined && !text.includes(shape.needs)) || (shape.key && !shape.key.test(key))) continue;
        const m = shape.pattern.exec(text);
        if (m) return { rule: shape.rule, matched: m[0] };
      }
      return undefined;
    },
  };
}

/**
 * Masks a found value: letters and digits become `*`, separators stay, and only the last two
 * characters of values longer than 6 survive — enough to tell findings apart, not to read them.
 * @example maskValue('123-45-6789') // '***-**-**89'
 */
export function maskValue(value: string): string {
  const keep = value.length > 6 ? 2 : 0;
  const head = value.slice(0, value.length - keep).replace(/[\p{L}\p{N}]/gu, '*');
  return head + value.slice(value.length - keep);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
