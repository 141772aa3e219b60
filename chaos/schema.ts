/** @module chaos: the plan's `chaos`, `proxies` and `faults` slices. */
import { z } from 'zod';
import type { DeepReadonly } from '../core/deep-readonly.js';
import { hostPort, positiveDuration, safeName } from '../core/schema-kit.js';
import { TOXIC_ATTRIBUTES, TOXIC_TYPES, type ToxicType } from './toxics/attributes.js';

/** The HTTP-level toxic types (embedded server only), for plan/'s cross-checks. */
export { HTTP_TOXIC_TYPES } from './toxics/attributes.js';

/** `embedded` (codeblue's own Toxiproxy-compatible server) or the URL of a real Toxiproxy. */
export const chaosSchema = z
  .object({
    server: z
      .union([z.literal('embedded'), z.url({ protocol: /^https?$/, error: 'expected "embedded" or a URL like http://127.0.0.1:8474' })])
      .default('embedded'),
    /** Where the embedded server's API listens; port 0 picks a free one. */
    listen: hostPort.default('127.0.0.1:0'),
    /** Seed for toxicity and jitter draws on the embedded server, for reproducible drills. */
    seed: z.number().int().optional(),
  })
  .strict();

export const proxySchema = z
  .object({
    name: safeName,
    listen: hostPort,
    upstream: hostPort,
    /** `http` enables the HTTP-level toxics (embedded server only). */
    protocol: z.enum(['tcp', 'http']).default('tcp'),
    enabled: z.boolean().default(true),
  })
  .strict();

/**
 * A fault time: absolute from run start (`30s`) or relative to a phase start (`fault+10s`, `recovery+0s`).
 * Kept as text here; plan/ resolves it into an offset once phases are known.
 */
const faultTime = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  if (typeof v === 'number') return;
  if (/^\s*(baseline|fault|recovery)\s*([+-].+)?$/.test(v) || /^[\d.]/.test(v.trim())) return;
  ctx.addIssue({ code: 'custom', message: `expected a time like "30s" or "fault+10s" (phases: baseline, fault, recovery), got ${JSON.stringify(v)}` });
});

const faultBase = z
  .object({
    name: safeName.optional(),
    proxy: z.string().min(1),
    at: faultTime.default('fault+0s'),
    /** Defaults to the rest of the fault phase. */
    duration: positiveDuration.optional(),
    toxic: z.enum(TOXIC_TYPES as [ToxicType, ...ToxicType[]]),
    stream: z.enum(['upstream', 'downstream']).default('downstream'),
    toxicity: z.number().min(0).max(1).default(1),
    attributes: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** A fault: one toxic on one proxy for one window; attributes are checked against the toxic's type. */
export const faultSchema = faultBase.transform((f, ctx) => {
  const parsed = TOXIC_ATTRIBUTES[f.toxic].safeParse(f.attributes);
  if (!parsed.success) {
    const known = Object.keys(TOXIC_ATTRIBUTES[f.toxic].shape);
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const hint = known.length > 0 ? `${f.toxic} takes: ${known.join(', ')}` : `${f.toxic} takes no attributes`;
          ctx.addIssue({ code: 'custom', path: ['attributes', key], message: `unknown attribute "${key}" for toxic ${f.toxic}`, params: { hint } });
        }
      } else {
        ctx.addIssue({ ...issue, path: ['attributes', ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
      }
    }
    return z.NEVER;
  }
  return { ...f, attributes: parsed.data as Readonly<Record<string, unknown>> };
});

export type ChaosSpec = DeepReadonly<z.output<typeof chaosSchema>>;
export type ProxySpec = DeepReadonly<z.output<typeof proxySchema>>;
export type FaultSpec = DeepReadonly<z.output<typeof faultSchema>>;
