/** @module plan: whatever bytes arrive, the loader returns a plan or throws codeblue's own typed error. */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CodeblueError } from '../core/index.js';
import { parsePlan, renderStarterPlan } from './index.js';

function outcome(source: string | Uint8Array): 'plan' | 'typed-error' {
  try {
    parsePlan(source, 'fuzz.yaml');
    return 'plan';
  } catch (err) {
    if (err instanceof CodeblueError && err.exitCode === 2) return 'typed-error';
    throw err;
  }
}

describe('plan loader under random input', () => {
  it('turns random JSON values into a plan or a typed error', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      expect(['plan', 'typed-error']).toContain(outcome(JSON.stringify(value)));
    }), { numRuns: 400 });
  });

  it('turns random YAML documents into a plan or a typed error', () => {
    const yamlValue = fc.anything({ maxDepth: 5, withNullPrototype: false, withBigInt: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: false, withBoxedValues: false, withDate: true });
    fc.assert(fc.property(yamlValue, (value) => {
      let text: string | undefined;
      try {
        text = stringify(value);
      } catch {
        return;
      }
      if (typeof text !== 'string') return;
      expect(['plan', 'typed-error']).toContain(outcome(text));
    }), { numRuns: 300 });
  });

  it('turns random text and bytes into a typed error', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), (input) => {
      expect(['plan', 'typed-error']).toContain(outcome(input));
    }), { numRuns: 400 });
  });

  it('survives random edits of a valid plan', () => {
    const base = renderStarterPlan();
    fc.assert(fc.property(fc.nat(base.length - 1), fc.nat(40), fc.string({ maxLength: 12 }), (at, cut, insert) => {
      expect(['plan', 'typed-error']).toContain(outcome(base.slice(0, at) + insert + base.slice(at + cut)));
    }), { numRuns: 400 });
  });

  it('answers deep nesting and alias bombs with a typed error', () => {
    expect(outcome(`${'['.repeat(5000)}${']'.repeat(5000)}`)).toBe('typed-error');
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(outcome(bomb)).toBe('typed-error');
  });
});
