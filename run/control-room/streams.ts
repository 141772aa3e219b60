/**
 * @module run/control-room: the open event streams (Server-Sent Events). One snapshot is built per interval and the
 * same bytes go to every page, so twenty pages cost one build; none is built while no page is open.
 */
import type { ServerResponse } from 'node:http';
import type { Snapshot } from './view.js';

/** A page that has not read this much of its stream is skipped until it catches up (never buffered without bound). */
const MAX_UNREAD_BYTES = 1 << 20;

export interface Streams {
  add(res: ServerResponse): void;
  /** Builds and sends a snapshot now (after a control action or the end of the run). */
  pushNow(): void;
  count(): number;
  /** What the streams cost this process so far: snapshots built, ms building them, ms writing them out. */
  cost(): StreamCost;
  close(): void;
}

export interface StreamCost {
  readonly snapshots: number;
  readonly buildMs: number;
  readonly writeMs: number;
}

export function createStreams(build: () => Snapshot, intervalMs: number): Streams {
  const open = new Set<ServerResponse>();
  let frame: string | undefined;
  const cost = { snapshots: 0, buildMs: 0, writeMs: 0 };
  const render = (): string => {
    const t = performance.now();
    frame = `event: snapshot\ndata: ${JSON.stringify(build())}\n\n`;
    cost.snapshots++;
    cost.buildMs += performance.now() - t;
    return frame;
  };
  const write = (res: ServerResponse, bytes: string): void => {
    if (res.writableLength < MAX_UNREAD_BYTES) res.write(bytes);
  };
  const broadcast = (): void => {
    if (open.size === 0) return;
    const bytes = render();
    const t = performance.now();
    for (const res of open) write(res, bytes);
    cost.writeMs += performance.now() - t;
  };
  const timer = setInterval(broadcast, intervalMs);
  timer.unref();
  return {
    add(res) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      // A reconnecting page waits a second, not the browser's default three.
      res.write('retry: 1000\n\n');
      open.add(res);
      res.on('close', () => open.delete(res));
      write(res, frame ?? render());
    },
    pushNow: broadcast,
    count: () => open.size,
    cost: () => ({ ...cost }),
    close() {
      clearInterval(timer);
      for (const res of open) res.end();
      open.clear();
    },
  };
}
