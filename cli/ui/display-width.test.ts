/** @module cli: display width and wrapped rows of terminal lines. */
import { describe, expect, it } from 'vitest';
import { displayWidth, stripAnsi, wrappedRows } from './display-width.js';
import { paint } from './output.js';

describe('displayWidth', () => {
  it('counts ANSI colour codes as zero cells', () => {
    const p = paint(true);
    const line = `${p.bad('HALT')} ${p.dim('p95')} ${p.bold('812ms')}`;
    expect(line.length).toBeGreaterThan('HALT p95 812ms'.length);
    expect(stripAnsi(line)).toBe('HALT p95 812ms');
    expect(displayWidth(line)).toBe(14);
  });

  it('counts CJK and emoji as two cells and combining marks as none', () => {
    expect(displayWidth('病院')).toBe(4);
    expect(displayWidth('🩺 ok')).toBe(5);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('✓ · — …')).toBe(7);
  });
});

describe('wrappedRows', () => {
  it('gives each line at least one row and wraps lines wider than the terminal', () => {
    expect(wrappedRows('', 80)).toBe(1);
    expect(wrappedRows('a'.repeat(80), 80)).toBe(1);
    expect(wrappedRows('a'.repeat(81), 80)).toBe(2);
    expect(wrappedRows(`${'a'.repeat(100)}\nshort\n${'中'.repeat(45)}`, 40)).toBe(3 + 1 + 3);
  });
});
