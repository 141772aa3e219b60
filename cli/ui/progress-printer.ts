/** @module cli: prints run events — redraws the live view on a TTY (throttled), plain lines elsewhere, ndjson with --json. */
import type { RunEvent } from '../../run/index.js';
import type { Terminal } from '../terminal.js';
import { wrappedRows } from './display-width.js';
import { paint, type Output } from './output.js';
import { renderEventLine, renderLiveView, type LiveState } from './progress.js';

export interface ProgressPrinter {
  onEvent(event: RunEvent): void;
  close(): void;
}

const REDRAW_MS = 250;

/** Cursor up `rows` rows, then erase to the end of the screen (ECMA-48 CUU + ED). */
export const eraseRows = (rows: number): string => (rows > 0 ? `\u001b[${rows}A\u001b[0J` : '');

export function createProgressPrinter(output: Output, json: boolean, terminal: Terminal): ProgressPrinter {
  const now = (): Date => new Date(terminal.now());
  if (json) return { onEvent: (e) => output.out(JSON.stringify({ time: now().toISOString(), ...e })), close: () => undefined };
  const p = paint(output.color);
  if (!terminal.isTTY || terminal.isCI) {
    return {
      onEvent(e) {
        const line = renderEventLine(e, p, now());
        if (line) output.out(line);
      },
      close: () => undefined,
    };
  }
  const live = createLiveRegion(terminal);
  const state: LiveState = {};
  let lastDraw = -Infinity;
  const draw = (): void => {
    live.draw(renderLiveView(state, p));
    lastDraw = terminal.now();
  };
  return {
    onEvent(e) {
      if (e.type === 'run-start') state.start = e;
      if (e.type === 'halt') state.halt = e.reason;
      if (e.type === 'endpoints' && e.metricsUrl) state.metricsUrl = e.metricsUrl;
      if (e.type === 'tick') {
        state.tick = e;
        if (terminal.now() - lastDraw < REDRAW_MS) return;
        draw();
        return;
      }
      live.clear();
      const line = renderEventLine(e, p, now());
      if (line) output.out(line);
      if (e.type !== 'run-end' && e.type !== 'verdict' && state.start) draw();
    },
    close: () => live.clear(),
  };
}

/** The bottom block of the screen that is redrawn in place: it erases exactly the rows it drew, wrapped lines included. */
export interface LiveRegion {
  draw(lines: readonly string[]): void;
  clear(): void;
}

export function createLiveRegion(terminal: Terminal): LiveRegion {
  let rows = 0;
  const clear = (): void => {
    terminal.stdout.write(eraseRows(rows));
    rows = 0;
  };
  return {
    draw(lines) {
      clear();
      if (lines.length === 0) return;
      const text = lines.join('\n');
      terminal.stdout.write(`${text}\n`);
      // Measured now, against the width the text was drawn at: a line wider than the window wraps onto more rows.
      rows = wrappedRows(text, terminal.columns());
    },
    clear,
  };
}
