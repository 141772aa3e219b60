/**
 * @module collectors/phi: what PHI looks like — the run's own synthetic values, and PHI-shaped text
 * (SSN-like, MRN-like, phone, email) — and how a found value is masked before it is printed anywhere.
 */

export type PhiRule = 'synthetic' | 'ssn' | 'mrn' | 'phone' | 'email';

interface ShapeRule {
  readonly rule: Exclude<PhiRule, 'synthetic'>;
  readonly pattern: RegExp;
  /** Only applies when the attribute key looks like this (undefined = any key). */
  readonly key?: RegExp;
}

const SHAPES: readonly ShapeRule[] = [
  { rule: 'ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/ },
  { rule: 'mrn', pattern: /\bMRN[\s:#-]*[A-Z0-9]{5,12}\b/i },
  { rule: 'mrn', pattern: /^[A-Z]{0,4}-?\d{5,12}$/i, key: /(^|[._-])mrn($|[._-])|medical[._-]?record/i },
  { rule: 'phone', pattern: /(?<![\d-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d-])/ },
  { rule: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/ },
];

/** Synthetic values shorter than this only match a whole value, not inside text (avoids "Al" in "Alert"). */
const MIN_CONTAINED_LENGTH = 4;

export interface PhiMatcher {
  /** The first rule `text` (under attribute `key`) breaks, with the matched part; undefined when clean. */
  match(key: string, text: string): { rule: PhiRule; matched: string } | undefined;
}

/** Builds a matcher for the run's synthetic values (case-insensitive) plus the shape rules. */
export function createPhiMatcher(syntheticValues: readonly string[]): PhiMatcher {
  const values = [...new Set(syntheticValues.map((v) => v.trim()).filter((v) => v !== ''))];
  const contained = values.filter((v) => v.length >= MIN_CONTAINED_LENGTH).sort((a, b) => b.length - a.length);
  const whole = new Set(values.filter((v) => v.length < MIN_CONTAINED_LENGTH).map((v) => v.toLowerCase()));
  const containedPattern = contained.length > 0 ? new RegExp(contained.map(escape).join('|'), 'i') : undefined;
  return {
    match(key, text) {
      if (whole.has(text.trim().toLowerCase())) return { rule: 'synthetic', matched: text.trim() };
      const s = containedPattern?.exec(text);
      if (s) return { rule: 'synthetic', matched: s[0] };
      for (const shape of SHAPES) {
        if (shape.key && !shape.key.test(key)) continue;
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
