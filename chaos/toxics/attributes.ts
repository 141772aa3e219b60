/**
 * @module chaos: the attributes of every toxic type, as Toxiproxy names them (integers, default 0),
 * plus codeblue's HTTP-level toxics, which only the embedded server knows.
 */
import { z } from 'zod';

const int = () => z.number().int().min(0).default(0);
const methods = z.array(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])).optional();

/** Attribute schemas by toxic type. Units follow Toxiproxy: ms, KB/s (1 KB = 1000 B), bytes, µs for slicer delay. */
export const TOXIC_ATTRIBUTES = {
  noop: z.object({}).strict(),
  latency: z.object({ latency: int(), jitter: int() }).strict(),
  bandwidth: z.object({ rate: int() }).strict(),
  slow_close: z.object({ delay: int() }).strict(),
  timeout: z.object({ timeout: int() }).strict(),
  reset_peer: z.object({ timeout: int() }).strict(),
  slicer: z
    .object({ average_size: z.number().int().min(1).default(1), size_variation: int(), delay: int() })
    .strict()
    .refine((a) => a.size_variation < a.average_size, {
      message: 'size_variation must be smaller than average_size',
      path: ['size_variation'],
    }),
  limit_data: z.object({ bytes: int() }).strict(),
  /** Not a Toxiproxy toxic: the fault disables the proxy (`enabled: false`) for its window. */
  down: z.object({}).strict(),
  /** HTTP-level (embedded server, `protocol: http` proxies only): answer with an error instead of forwarding. */
  http_error: z
    .object({
      status: z.number().int().min(100).max(599).default(503),
      body: z.string().optional(),
      retry_after: z.number().int().min(0).optional(),
      probability: z.number().min(0).max(1).default(1),
      path: z.string().optional(),
      methods,
    })
    .strict(),
  /** HTTP-level: delay before the response headers are sent. */
  http_delay: z
    .object({
      delay: int(),
      jitter: int(),
      probability: z.number().min(0).max(1).default(1),
      path: z.string().optional(),
      methods,
    })
    .strict(),
} as const;

export type ToxicType = keyof typeof TOXIC_ATTRIBUTES;
export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];
/** Toxic types that need a `protocol: http` proxy on the embedded server. */
export const HTTP_TOXIC_TYPES: readonly ToxicType[] = ['http_error', 'http_delay'];
export type ToxicAttributes<T extends ToxicType> = z.output<(typeof TOXIC_ATTRIBUTES)[T]>;
