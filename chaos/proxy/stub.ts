/** @module chaos/proxy: one stage of a link: runs a toxic's pipe between two channels, restartable (hot swap). */
import type { Random } from '../rng.js';
import { passThrough, type StreamChunk, type ToxicDefinition, type ToxicStub } from '../toxics/toxic.js';
import { Chan, INTERRUPTED } from './chan.js';

export type ChunkChan = Chan<StreamChunk | null>;
export type Direction = 'upstream' | 'downstream';

/**
 * The one reason every stage, writer and link stop is aborted with: `abort()` without one builds a DOMException with
 * a stack trace each time (three per connection, kept as long as the connection), and nothing reads it.
 */
export const STOPPED = new DOMException('stopped', 'AbortError');

/** A toxic as configured on a proxy (immutable; an update replaces it). */
export interface ToxicEntry {
  readonly name: string;
  readonly type: string;
  /** The stream as sent (Toxiproxy keeps the client's case). */
  readonly stream: string;
  readonly direction: Direction;
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly definition: ToxicDefinition;
}

/** What a stage needs from its link. */
export interface StageHost {
  readonly random: Random;
  /** Aborts when the connection is gone: every wait ends. */
  readonly killed: AbortSignal;
  reset(): void;
}

/** One toxic (or the hidden head noop when `entry` is undefined) running on one connection × direction. */
export class Stage {
  private controller = new AbortController();
  private running: Promise<void> = Promise.resolve();
  /** Survives restarts: stateful toxics (limit_data) keep counting. */
  readonly state: Record<string, number> = {};
  /** The last toxicity draw: false when the toxic lost it (or this is the head noop), so the stage only passes data on. */
  private active: boolean | undefined;

  get isActive(): boolean {
    return this.active === true;
  }

  constructor(
    public entry: ToxicEntry | undefined,
    public input: ChunkChan,
    public output: ChunkChan,
    private readonly host: StageHost,
  ) {}

  /**
   * Starts (or restarts) the pipe with a fresh toxicity draw, per connection × direction as Toxiproxy does;
   * `redraw: false` keeps the last draw (the link resuming its chain after the fast path, which Toxiproxy never leaves).
   */
  run(redraw = true): void {
    this.controller = new AbortController();
    const view = this.view(this.controller.signal);
    const entry = this.entry;
    if (redraw || this.active === undefined) this.active = entry !== undefined && this.host.random() < entry.toxicity;
    const task = this.active && entry ? entry.definition.pipe(entry.attributes, view) : passThrough(view);
    // A pipe failure is a bug in a toxic; the connection is closed rather than the server brought down.
    this.running = task.catch(() => this.host.reset());
  }

  /** Stops the pipe and waits until it returned; unprocessed input stays in `input`. */
  async interrupt(): Promise<void> {
    this.controller.abort(STOPPED);
    await this.running;
  }

  /** Runs the toxic's cleanup (on removal), writing to this stage's output. */
  async cleanup(): Promise<void> {
    const entry = this.entry;
    if (entry?.definition.cleanup) await entry.definition.cleanup(entry.attributes, this.view(AbortSignal.abort(STOPPED)));
  }

  private view(signal: AbortSignal): ToxicStub {
    const host = this.host;
    const stage = this;
    return {
      interrupted: signal,
      random: host.random,
      state: this.state,
      now: () => performance.now(),
      reset: () => host.reset(),
      async read(override) {
        const item = await stage.input.read(override ?? signal);
        return item === INTERRUPTED ? undefined : item;
      },
      async write(chunk) {
        await stage.output.write(chunk, host.killed);
      },
      async close() {
        await stage.output.write(null, host.killed);
      },
      sleep: (ms) => sleepInterruptibly(ms, signal),
    };
  }
}

function sleepInterruptibly(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
