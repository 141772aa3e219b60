import { describe, expect, it } from 'vitest';
import { resourceFields, sameFields } from './resource-fields.js';

/** A small seeded generator, so a failure names the case that broke. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KEYS = ['family', 'given', 'value', 'system', 'a.b', 'x[0]', 'use', 'code', 'meta', 'text', 'period'];

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.35) {
    const p = rand();
    if (p < 0.2) return null;
    if (p < 0.4) return Math.floor(rand() * 100);
    if (p < 0.5) return rand() < 0.5;
    if (p < 0.55) return 'long '.repeat(60);
    return ['Roe', 'Doe', '1980-02-03', 'a"b', ''][Math.floor(rand() * 5)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) o[KEYS[Math.floor(rand() * KEYS.length)] as string] = randomValue(rand, depth + 1);
  return o;
}

function randomResource(rand: () => number): Record<string, unknown> {
  const r: Record<string, unknown> = { resourceType: 'Patient', id: 'p1' };
  for (let i = Math.floor(rand() * 5); i > 0; i--) r[KEYS[Math.floor(rand() * KEYS.length)] as string] = randomValue(rand, 0);
  return r;
}

/** The same resource with one change somewhere (or none), often one resourceFields cannot tell apart. */
function mutate(rand: () => number, resource: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
  const keys = Object.keys(copy);
  const key = keys[Math.floor(rand() * keys.length)] as string;
  const how = rand();
  if (how < 0.2) return copy;
  if (how < 0.4) copy[key] = randomValue(rand, 0);
  else if (how < 0.55) delete copy[key];
  else if (how < 0.7) copy[KEYS[Math.floor(rand() * KEYS.length)] as string] = randomValue(rand, 0);
  else if (how < 0.85) return Object.fromEntries(Object.entries(copy).reverse()); // key order never matters
  else copy.meta = { versionId: String(Math.floor(rand() * 9)) }; // server-managed: never a change
  return copy;
}

const equalMaps = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);

describe('sameFields', () => {
  it('says what comparing the two resourceFields maps says, for 5,000 random resources and changes', () => {
    const rand = seeded(19);
    let same = 0;
    for (let i = 0; i < 5000; i++) {
      const written = randomResource(rand);
      const readBack = mutate(rand, written);
      const only = rand() < 0.2 ? ['family', 'a.b'] : undefined;
      const acknowledged = resourceFields(written, only);
      const expected = equalMaps(acknowledged, resourceFields(readBack, only));
      if (expected) same += 1;
      expect(sameFields(acknowledged, readBack, only), `case ${i}: ${JSON.stringify(written)} → ${JSON.stringify(readBack)}`).toBe(expected);
    }
    // Both answers occur often enough to mean something.
    expect(same).toBeGreaterThan(1000);
    expect(same).toBeLessThan(4500);
  });

  it('is exact where paths could collide (a key holding "." or "[")', () => {
    const acknowledged = resourceFields({ resourceType: 'Patient', a: { b: '1' }, 'a.b': '2' });
    expect(sameFields(acknowledged, { resourceType: 'Patient', 'a.b': '2', a: { b: '1' } })).toBe(true);
    expect(sameFields(acknowledged, { resourceType: 'Patient', a: { b: '2' }, 'a.b': '1' })).toBe(equalMaps(acknowledged, resourceFields({ resourceType: 'Patient', a: { b: '2' }, 'a.b': '1' })));
    expect(sameFields(resourceFields({ resourceType: 'Patient', a: { b: '1' } }), { resourceType: 'Patient', 'a.b': '1' })).toBe(true);
    // The walk meets a.b = "1" first, but the map keeps the later "2": the same resource after all.
    const shadowed = { resourceType: 'Patient', a: { b: '1' }, 'a.b': '2' };
    expect(sameFields(resourceFields(shadowed), shadowed)).toBe(true);
    // Two leaves on one path, deeper down: three fields walked, each matching, for a map of two.
    const twice = { resourceType: 'Patient', z: { a: { b: 'v' }, 'a.b': 'v' } };
    expect(sameFields(resourceFields({ resourceType: 'Patient', z: { 'a.b': 'v' }, c: 'w' }), twice)).toBe(false);
  });

  it('compares a field left over on either side, long values by their hash, and more than 500 fields', () => {
    const written = { resourceType: 'Observation', id: 'o1', note: [{ text: 'n'.repeat(300) }], code: { text: 'x' } };
    const acknowledged = resourceFields(written);
    expect(sameFields(acknowledged, written)).toBe(true);
    expect(sameFields(acknowledged, { ...written, note: [{ text: `${'n'.repeat(299)}m` }] })).toBe(false);
    expect(sameFields(acknowledged, { ...written, status: 'final' })).toBe(false);
    expect(sameFields({ ...acknowledged, status: '"final"' }, written)).toBe(false);
    const big = { resourceType: 'Bundle', id: 'b', entry: Array.from({ length: 600 }, (_, i) => ({ n: i })) };
    expect(sameFields(resourceFields(big), big)).toBe(true);
    expect(sameFields(resourceFields(big), { ...big, entry: big.entry.map((e, i) => (i === 550 ? { n: -1 } : e)) })).toBe(false);
    // 551 fields on 301 paths (keys "entry[i]" repeat the array's paths): its map is cut at 500, so not the 301 written.
    const written300 = { resourceType: 'Bundle', id: 'b', entry: big.entry.slice(0, 299) };
    const repeated = { ...written300, ...Object.fromEntries(big.entry.slice(0, 250).map((e, i) => [`entry[${i}]`, e])) };
    expect(sameFields(resourceFields(written300), repeated)).toBe(false);
  });
});
