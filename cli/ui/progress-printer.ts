/** @module cli: prints run events — redraws the live view on a TTY (throttled), plain lines elsewhere, ndjson with --json. */
import type { RunEvent } from '../../run/index.js';
import { paint, type Output } from './output.js';
import { renderEventLine, renderLiveView, type LiveState } from './progress.js';

export interface ProgressPrinter {
  onEvent(event: RunEvent): void;
  close(): void;
}

const REDRAW_MS = 250;

export function createProgressPrinter(output: Output, json: boolean): ProgressPrinter {
  if (json) return { onEvent: (e) => output.out(JSON.stringify({ time: new Date().toISOString(), ...e })), close: () => undefined };
  const p = paint(output.color);
  const live = process.stdout.isTTY === true && process.env.CI !== 'true';
  if (!live) {
    return {
      onEvent(e) {
        const line = renderEventLine(e, p);
        if (line) output.out(line);
      },
      close: () => undefined,
    };
  }
  const state: LiveState = {};
  let drawn = 0;
  let lastDraw = 0;
  const clear = (): void => {
    if (drawn > 0) process.stdout.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };
  const draw = (): void => {
    const lines = renderLiveView(state, p);
    process.stdout.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
    lastDraw = Date.now();
  };
  return {
    onEvent(e) {
      if (e.type === 'run-start') state.start = e;
      if (e.type === 'halt') state.halt = e.reason;
      if (e.type === 'tick') {
        state.tick = e;
        if (Date.now() - lastDraw < REDRAW_MS) return;
        clear();
        draw();
        return;
      }
      clear();
      const line = renderEventLine(e, p);
      if (line) output.out(line);
      if (e.type !== 'run-end' && state.start) draw();
    },
    close: clear,
  };
}
