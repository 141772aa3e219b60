/** @module cli: the live view redraw erases exactly the rows it drew, wrapped lines included. */
import { describe, expect, it } from 'vitest';
import { createMemoryTerminal } from '../terminal.js';
import { paint } from './output.js';
import { createLiveRegion, createProgressPrinter, eraseRows } from './progress-printer.js';
import { createOutput } from './output.js';
import type { RunEvent } from '../../run/index.js';

/** Replays `text` on a screen `columns` wide (wrap, newline, CUU, ED) and returns the visible rows. */
function screen(text: string, columns: number): string[] {
  const rows: string[] = [''];
  let row = 0;
  let pendingWrap = false;
  const re = /\u001b\[(\d*)([A-Za-z])|\n|[\s\S]/gu;
  for (const m of text.matchAll(re)) {
    if (m[2] === 'A') { row = Math.max(0, row - Number(m[1] || 1)); pendingWrap = false; continue; }
    if (m[2] === 'J') { rows.length = row + 1; rows[row] = ''; continue; }
    if (m[2] !== undefined) continue; // colour codes take no cells
    if (m[0] === '\n') { row += 1; pendingWrap = false; rows[row] ??= ''; rows[row] = ''; continue; }
    if (pendingWrap) { row += 1; rows[row] = ''; pendingWrap = false; }
    rows[row] = (rows[row] ?? '') + m[0];
    if ((rows[row] ?? '').length === columns) pendingWrap = true;
  }
  return rows.slice(0, row + 1);
}

describe('live region', () => {
  it('erases exactly the rows it drew when lines are wider than the terminal', () => {
    const term = createMemoryTerminal({ isTTY: true, columns: 20 });
    term.stdout.write('kept line above\n');
    const live = createLiveRegion(term);
    const wide = ['x'.repeat(45), 'short', 'y'.repeat(20)]; // 3 + 1 + 1 rows on 20 columns
    live.draw(wide);
    expect(term.stdoutText().endsWith(`${wide.join('\n')}\n`)).toBe(true);
    live.draw(['next frame']);
    expect(term.stdoutText()).toContain(eraseRows(5));
    expect(screen(term.stdoutText(), 20)).toEqual(['kept line above', 'next frame', '']);
    live.clear();
    expect(term.stdoutText().endsWith(eraseRows(1))).toBe(true);
    expect(screen(term.stdoutText(), 20)).toEqual(['kept line above', '']);
  });

  it('counts coloured text by its visible width, not its length', () => {
    const term = createMemoryTerminal({ isTTY: true, columns: 20 });
    const live = createLiveRegion(term);
    live.draw([paint(true).bad('r'.repeat(20))]);
    live.clear();
    expect(term.stdoutText().endsWith(eraseRows(1))).toBe(true);
    expect(screen(term.stdoutText(), 20)).toEqual(['']);
  });
});

describe('progress printer on a narrow TTY', () => {
  const start: Extract<RunEvent, { type: 'run-start' }> = {
    type: 'run-start', runId: 'r1', plan: 'plan.yaml', runDir: 'runs/r1', runLengthMs: 40_000,
    phases: [{ name: 'baseline', startMs: 0, endMs: 40_000 }], faults: [],
  };
  const tick = (atMs: number): RunEvent => ({ type: 'tick', atMs, phase: 'baseline', activeFaults: [], stats: { rps: 50, p95Ms: 80, errorRate: 0, requests: 600, vus: 12, aborted: 0 } });

  it('leaves no trace of the wrapped live view between event lines', () => {
    let clock = Date.parse('2026-11-25T10:00:00Z');
    const term = createMemoryTerminal({ isTTY: true, columns: 30, now: () => clock });
    const printer = createProgressPrinter(createOutput({}, term), false, term);
    printer.onEvent(start);
    for (let i = 1; i <= 3; i++) {
      clock += 1000;
      printer.onEvent(tick(i * 1000));
    }
    printer.onEvent({ type: 'step', message: 'target ready' });
    printer.close();
    expect(screen(term.stdoutText(), 30)).toEqual([
      ...screen('10:00:00 run r1 · plan.yaml · 40s · folder runs/r1\n', 30).slice(0, -1),
      '10:00:03 target ready',
      '',
    ]);
  });

  it('prints plain lines, no cursor movement, when CI is set', () => {
    const term = createMemoryTerminal({ isTTY: true, columns: 30, env: { CI: 'true' } });
    const printer = createProgressPrinter(createOutput({}, term), false, term);
    printer.onEvent(start);
    printer.onEvent(tick(5000));
    printer.close();
    expect(term.stdoutText()).not.toMatch(/\u001b\[\d*[AJ]/);
    expect(term.stdoutText().trimEnd().split('\n')).toHaveLength(2);
  });
});
