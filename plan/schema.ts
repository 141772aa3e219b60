/** @module plan: the whole plan schema, composed from each room's slice; parsed once at the boundary. */
import { z } from 'zod';
import { duration, hostPort, parseHostPort, positiveDuration, ratio, safeName } from '../core/schema-kit.js';
import { chaosSchema, faultSchema, proxySchema } from '../chaos/schema.js';
import { authSchema, scenariosSchema } from '../scenarios/schema.js';
import { sloSchema } from '../reports/slo/schema.js';
import { traceAssertionSchema } from '../collectors/schema.js';
import { complianceSchema, remoteWriteOutputSchema, REMOTE_WRITE_TYPE, spansSettingsSchema } from '../collectors/schema.js';
import { probeSchema } from './hypothesis-schema.js';

const TARGET_HEALTH = 'Path polled until the target is up, before any load or fault (and while `target.start` boots it). '
  + 'Set: it must answer 2xx. Not set: any HTTP answer from `baseUrl` (even 404) means the target is up.';
const TARGET_START = 'Shell command that starts the target; codeblue waits for it to be up (see `health`) and stops it after the run. '
  + 'If something already answers on (or holds) the port of `baseUrl`, the run stops before starting anything (exit 3).';
const TARGET_CWD = 'Working directory of `target.start`, relative to the plan file\'s folder (default: that folder).';

const targetSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like http://127.0.0.1:8080' }),
    /** Shell command that starts the target; codeblue waits for `health`, and stops it after. */
    start: z.string().min(1).optional().meta({ description: TARGET_START }),
    health: z.string().startsWith('/', 'must be a path starting with "/"').optional().meta({ description: TARGET_HEALTH }),
    healthTimeout: positiveDuration.prefault('60s'),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional().meta({ description: TARGET_CWD }),
    /** How requests get credentials (SMART backend, client credentials, a static header); scenarios may override it. */
    auth: authSchema.optional(),
  })
  .strict();

const phasesSchema = z
  .object({ baseline: duration, fault: duration, recovery: duration })
  .strict();

/** A threshold entry: k6's short form `"p(95)<300"` or long form `{ threshold, abortOnFail, delayAbortEval }`. */
const thresholdEntrySchema = z.union([
  z.string(),
  z
    .object({ threshold: z.string(), abortOnFail: z.boolean().default(false), delayAbortEval: duration.prefault('0s') })
    .strict(),
]);

const safetySchema = z
  .object({
    maxDuration: positiveDuration.prefault('30m'),
    maxRequests: z.number().int().min(1).default(1_000_000),
    maxVUs: z.number().int().min(1).default(1000),
    halt: z
      .object({ errorRate: ratio.optional(), for: positiveDuration.prefault('10s') })
      .strict()
      .optional(),
    allowHosts: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** `host:port`, or `off` for a listener that can be turned off. */
const addressOrOff = z.string({ error: 'expected an address like "127.0.0.1:4317", or off' }).superRefine((text, ctx) => {
  if (text !== 'off' && parseHostPort(text) === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an address like "127.0.0.1:4317", or off, got ${JSON.stringify(text)}` });
  }
});

/** Where the run's own OTLP receiver and /metrics listen (port 0 = a free port). */
const collectorsSchema = z
  .object({
    otlpListen: hostPort.default('127.0.0.1:4318'),
    /** OTLP/gRPC receiver, or `off`; unset = otlpListen's host on 4317 (a free port when otlpListen's port is 0). */
    otlpGrpcListen: addressOrOff.optional(),
    metricsListen: hostPort.default('127.0.0.1:9464'),
    /** Also forward everything received to a real OTel Collector / Tempo (OTLP/HTTP base URL). */
    forward: z.url({ protocol: /^https?$/ }).optional(),
    /** Estimated MiB of received spans, logs and metric points kept in memory; past it the oldest spill to the run folder. */
    maxMemoryMiB: z.number().int().min(8).max(65_536).default(128),
    /** Which raw spans the run keeps (tail sampling) and the disk they may take; statistics always see every span. */
    spans: spansSettingsSchema.prefault({}),
  })
  .strict();

/** The acknowledged-write ledger's run-wide settings (a step's `ledger` marks what it records). */
const ledgerSettingsSchema = z
  .object({
    /** Resources read back at most; past it a uniform random sample of this many across the whole run. */
    maxRecords: z.number().int().min(1).max(1_000_000).default(50_000),
  })
  .strict();

export const OUTPUTS = ['json', 'html', 'junit', 'markdown', 'dashboard', 'k6'] as const;

export const planSchema = z
  .object({
    name: safeName,
    description: z.string().optional(),
    target: targetSchema,
    chaos: chaosSchema.prefault({}),
    proxies: z.array(proxySchema).default([]),
    phases: phasesSchema.optional(),
    scenarios: scenariosSchema.refine((s) => Object.keys(s).length > 0, 'needs at least one scenario'),
    faults: z.array(faultSchema).default([]),
    thresholds: z.record(z.string(), z.array(thresholdEntrySchema).min(1)).default({}),
    slos: z.array(sloSchema).default([]),
    /** Steady state: HTTP probes (before faults and after recovery) and trace assertions (per phase). */
    hypothesis: z.array(z.union([probeSchema, traceAssertionSchema])).default([]),
    collectors: collectorsSchema.prefault({}),
    compliance: complianceSchema.prefault({}),
    ledger: ledgerSettingsSchema.prefault({}),
    safety: safetySchema.prefault({}),
    /** Files written into the run folder, and live outputs (`prometheus-rw`, or its entry with options). */
    outputs: z.array(z.union([z.enum([...OUTPUTS, REMOTE_WRITE_TYPE]), remoteWriteOutputSchema])).default(['json', 'html', 'junit', 'markdown', 'dashboard']),
    /** Seed for synthetic data and random draws, so a drill can be repeated. */
    seed: z.number().int().default(1),
  })
  .strict();

export type ParsedPlan = z.output<typeof planSchema>;
