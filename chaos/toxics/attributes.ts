/**
 * @module chaos: the plan-side attribute schemas of every toxic type, derived from each toxic's `fields` (the one
 * declaration: Toxiproxy wire name, Go type, wire default, plan rule), plus `down`, which is not a toxic.
 */
import { z } from 'zod';
import { TOXICS } from './registry.js';
import type { PlanRule, ToxicDefinition } from './toxic.js';

/** The zod schema of one attribute's plan rule (same checks and messages as writing the chain by hand). */
function ruleSchema(rule: PlanRule): z.ZodType {
  if (rule.kind === 'string') return z.string().optional();
  if (rule.kind === 'list') return z.array(z.enum(rule.values as [string, ...string[]])).optional();
  let n = rule.kind === 'int' ? z.number().int() : z.number();
  if (rule.min !== undefined) n = n.min(rule.min);
  if (rule.max !== undefined) n = n.max(rule.max);
  return rule.default === undefined ? n.optional() : n.default(rule.default);
}

/** The plan's schema for one toxic's attributes: its fields, unknown keys rejected, then its cross-field rule. */
function planSchema(definition: ToxicDefinition): z.ZodObject {
  const object = z.object(Object.fromEntries(definition.fields.map((f) => [f.key, ruleSchema(f.plan)]))).strict();
  const rule = definition.rule;
  return rule ? object.refine((a) => rule.check(a), { message: rule.message, path: [rule.key] }) : object;
}

const TCP = TOXICS.filter((t) => !t.needsHttp);
const HTTP = TOXICS.filter((t) => t.needsHttp);

/** Plan toxic types: Toxiproxy's eight, then `down`, then codeblue's HTTP-level ones. */
export type ToxicType = (typeof TOXICS)[number]['type'] | 'down';

/**
 * Attribute schemas by toxic type. Units follow Toxiproxy: ms, KB/s (1 KB = 1000 B), bytes, µs for slicer delay.
 * `down` is not a Toxiproxy toxic: the fault disables the proxy (`enabled: false`) for its window.
 */
export const TOXIC_ATTRIBUTES: Readonly<Record<ToxicType, z.ZodObject>> = Object.fromEntries([
  ...TCP.map((t) => [t.type, planSchema(t)] as const),
  ['down', z.object({}).strict()] as const,
  ...HTTP.map((t) => [t.type, planSchema(t)] as const),
]) as Record<ToxicType, z.ZodObject>;

export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];
/** Toxic types that need a `protocol: http` proxy on the embedded server. */
export const HTTP_TOXIC_TYPES: readonly ToxicType[] = HTTP.map((t) => t.type);
