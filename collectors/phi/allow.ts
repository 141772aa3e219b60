/** @module collectors/phi: the `compliance.allow` list as one predicate over a finding (before its value is masked). */
import type { PhiRule } from './rules.js';
import type { PhiAllow } from './schema.js';

/** What an allow entry can look at. `value` is the text the rule found, unmasked (never stored). */
export interface PhiCandidate {
  readonly key: string;
  readonly value: string;
  readonly rule: PhiRule;
  readonly service: string;
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** True when any entry matches every field it names. */
export function createAllowList(entries: readonly PhiAllow[]): (c: PhiCandidate) => boolean {
  const compiled = entries.map((e) => ({
    key: e.key === undefined ? undefined : globToRegExp(e.key),
    pattern: e.pattern === undefined ? undefined : new RegExp(e.pattern),
    rule: e.rule,
    service: e.service,
  }));
  if (compiled.length === 0) return () => false;
  return (c) => compiled.some((e) =>
    (e.key === undefined || e.key.test(c.key)) &&
    (e.pattern === undefined || e.pattern.test(c.value)) &&
    (e.rule === undefined || e.rule === c.rule) &&
    (e.service === undefined || e.service === c.service));
}
