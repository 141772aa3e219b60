import { describe, expect, expectTypeOf, it } from 'vitest';
import { HTTP_TOXIC_TYPES, TOXIC_ATTRIBUTES, TOXIC_TYPES } from './attributes.js';
import { HTTP_MATCH_FIELDS } from './http-match.js';
import { TOXICS } from './registry.js';
import type { AttributesOf, GoFieldType } from './toxic.js';

const goTypeOf = (value: unknown): GoFieldType[] =>
  value === null || Array.isArray(value) ? ['[]string'] : typeof value === 'string' ? ['string']
    : Number.isInteger(value) ? ['int64', 'int', 'float64'] : ['float64'];

describe('toxic attributes: one declaration (each toxic\'s fields), the plan schema derived', () => {
  it('the plan knows Toxiproxy\'s eight types, then down, then the HTTP-level ones', () => {
    expect(TOXIC_TYPES).toEqual(['noop', 'latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'down', 'http_error', 'http_delay']);
    expect(HTTP_TOXIC_TYPES).toEqual(TOXICS.filter((t) => t.needsHttp).map((t) => t.type));
  });

  it.each(TOXICS.map((t) => [t.type, t] as const))('%s: the plan takes exactly the wire fields, in wire order', (type, toxic) => {
    expect(Object.keys(TOXIC_ATTRIBUTES[type].shape)).toEqual(toxic.fields.map((f) => f.key));
  });

  it.each(TOXICS.flatMap((t) => t.fields.map((f) => [`${t.type}.${f.key}`, f] as const)))('%s: the wire default has its Go type', (_name, field) => {
    expect(goTypeOf(field.default)).toContain(field.type);
  });

  it('down takes no attributes; unknown keys are rejected for every type', () => {
    expect(Object.keys(TOXIC_ATTRIBUTES.down.shape)).toEqual([]);
    for (const type of TOXIC_TYPES) expect(TOXIC_ATTRIBUTES[type].safeParse({ nope: 1 }).success).toBe(false);
  });

  it('plan defaults and rules come from the fields (slicer average_size ≥ 1, its cross-field rule; http_error status)', () => {
    expect(TOXIC_ATTRIBUTES.latency.parse({})).toEqual({ latency: 0, jitter: 0 });
    expect(TOXIC_ATTRIBUTES.slicer.parse({})).toEqual({ average_size: 1, size_variation: 0, delay: 0 });
    const slicer = TOXIC_ATTRIBUTES.slicer.safeParse({ average_size: 4, size_variation: 4 });
    expect(slicer.success ? [] : slicer.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['size_variation', 'size_variation must be smaller than average_size']]);
    expect(TOXIC_ATTRIBUTES.http_error.parse({})).toEqual({ status: 503, probability: 1 });
    expect(TOXIC_ATTRIBUTES.http_error.safeParse({ status: 700 }).success).toBe(false);
    expect(TOXIC_ATTRIBUTES.http_delay.safeParse({ methods: ['BREW'] }).success).toBe(false);
  });

  it('the attribute type a toxic receives is derived from its fields', () => {
    expectTypeOf<AttributesOf<typeof HTTP_MATCH_FIELDS>>().toEqualTypeOf<{
      readonly probability: number;
      readonly path: string;
      readonly methods: readonly string[] | null;
    }>();
  });
});
